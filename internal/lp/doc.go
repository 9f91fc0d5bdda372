// Package lp builds linear and mixed-integer programmes and solves them
// with lp_solve 5.5.
//
// It is the only package of the module that imports golp (the cgo binding
// of lp_solve) or uses cgo. The verb packages build a Model, a plain
// sparse Go value, and call Solve; they never see a solver type, so a
// second backend stays a local change.
//
// # Walkthrough
//
// Build a Model column by column (AddVar) and row by row (AddRow), then
// call Solve with a context and, optionally, Options:
//
//	m := lp.NewModel("staff")
//	x := m.AddVar("nurses_A", 0, math.Inf(1), 40, lp.Integer)
//	y := m.AddVar("nurses_B", 0, math.Inf(1), 30, lp.Integer)
//	m.AddRow("pool", []int{x, y}, []float64{1, 1}, lp.LE, 10)
//	m.SetMaximize(true)
//	sol, err := lp.Solve(ctx, m, nil)
//
// Solve validates the model first and reports every problem at once
// (Validate, errors wrapping gst.ErrInvalid). The result carries a
// gst.Status; an error is returned only when there is no usable answer,
// and it wraps gst.ErrInfeasible, gst.ErrUnbounded or gst.ErrNoSolution.
// A time-limited or cancelled MIP that found an incumbent returns it with
// StatusTimeLimit or StatusCanceled and a nil error. lp_solve's 1e30
// "infinity" never leaks: missing values are NaN (Objective) or ±Inf
// (Bound), and X is nil.
//
// lp_solve's memory is not Go's, and the garbage collector does not see
// it: Solve frees lp_solve's copy of the model before it returns, and a
// Resolver holds one copy until Close.
//
// A Resolver solves one linear programme again and again as its
// right-hand sides, bounds or costs change (a subproblem valued at many
// points): it keeps the programme loaded in lp_solve, hands it only what
// changed, and starts from the last basis, so nothing is copied, loaded
// or scaled again:
//
//	rs, err := lp.NewResolver(m)
//	defer rs.Close()
//	for _, v := range demands {
//		m.SetRHS(row, v)
//		sol, err := rs.Solve(ctx, nil)
//		...
//	}
//
// WriteMPS writes the model as free MPS, for other solvers (GLPK, CBC) or
// to attach to a report.
//
// # Conventions
//
// Columns and rows are numbered from 0 in the order they were added.
// Objective, Bound, duals and reduced costs are in the model's own terms:
// for a maximisation the objective is a maximum and Bound an upper bound.
//
// Duals (Options.Duals): Duals[i] is the rate of change of the optimal
// objective per unit increase of row i's right-hand side. In a
// minimisation a binding ≤ row has a dual ≤ 0 and a binding ≥ row a dual
// ≥ 0; in a maximisation the signs flip (the dual is the marginal gain).
// ReducedCosts[j] = obj_j − Σ_i Duals[i]·a_ij: the rate of change of the
// objective per unit increase of column j; zero for a basic column. Units
// are those of the objective per unit of the row or column.
//
// Bound: equal to Objective for a proven optimum; for a MIP stopped early
// it is the root LP relaxation, because lp_solve 5.5 keeps no bound over
// its open nodes. gst.Gap turns Objective and Bound into a gap.
//
// # Time and cancellation
//
// A context deadline and Options.TimeLimit stop the solve: lp_solve polls
// an abort flag (put_abortfunc) at every simplex iteration and
// branch-and-bound node, and the flag is raised by context.AfterFunc, so a
// solve stops within milliseconds of its deadline or of a cancel.
// lp_solve's own whole-second time limit is set too, as a backstop. After
// an abort lp_solve would still run the sensitivity analysis asked for by
// Options.Duals, which polls nothing and takes seconds on large models; the
// abort function turns it off before it stops the solve. (Sensitivity
// analysis of a solve that ends just before its deadline still runs to its
// end.)
//
// # Concurrency and determinism
//
// Solve keeps no state between calls (a Resolver keeps its programme in
// lp_solve, and is for one goroutine at a time). Separate goroutines may solve
// separate models, or the same model while nobody modifies it, in
// parallel; each solve has its own lp_solve instance. A Model itself is not
// safe for concurrent modification. The same model and options give the
// same solution, value for value, and WriteMPS the same bytes.
//
// # Limits of lp_solve
//
// lp_solve reads magnitudes of 1e30 and more as infinite; Validate rejects
// such finite values. It is a modest MIP solver: formulations should be
// tight and small. With loosened MIP gaps its pruning proves nothing, so
// such results come back as StatusFeasible with the root bound. A MIP's
// objective is moved onto a continuous copy so that lp_solve cannot prune
// with an estimated objective step (see Options.DirectObjective).
// Models are handed to lp_solve column by column, its own storage order,
// and the deadline is watched while they load.
//
// # Building and licence
//
// The package needs lp_solve 5.5's headers and library at build time
// (Debian: liblpsolve55-dev and lp-solve), for example with
//
//	CGO_CFLAGS=-I/usr/include/lpsolve
//	CGO_LDFLAGS="-L/usr/lib/lp_solve -llpsolve55 -lcolamd -lm -ldl -Wl,-rpath,/usr/lib/lp_solve"
//
// lp_solve is licensed under the LGPL 2.1; golp is MIT. Linking lp_solve
// dynamically, as above, lets a user replace the library, as the LGPL
// asks; a static build must offer users another way to relink.
//
// The package reads golp's unexported lprec pointer (see lpPtr) to call
// lp_solve functions golp does not wrap, and one field of lp_solve's
// lprec struct (real_solution, the root relaxation). Both are tied to the
// pinned golp version and to lp_solve 5.5's lp_lib.h; tests check them.
package lp
