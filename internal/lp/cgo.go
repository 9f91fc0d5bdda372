package lp

/*
#include <stdio.h>
#include <stdlib.h>
#include "lp_lib.h"

// The abort function lp_solve polls during simplex iterations and between
// branch-and-bound nodes. It reads a flag that Go sets when the context is
// done; no call back into Go is needed. It also stops a solve past its
// iteration limit (maxiter > 0) and notes that it did. When it stops a
// solve it also turns off the sensitivity analysis, which lp_solve would
// otherwise run on the abandoned basis without polling anything (seconds
// on large models).
typedef struct {
	int       raised; // first, so that a pointer to the struct is one to it
	int       hit;
	long long maxiter;
} gst_flag;

static int gst_abortfunc(lprec *lp, void *p) {
	gst_flag *f = (gst_flag *)p;
	if (__atomic_load_n(&f->raised, __ATOMIC_ACQUIRE) == 0) {
		if (f->maxiter <= 0 || (long long)get_total_iter(lp) < f->maxiter) {
			return 0;
		}
		f->hit = 1;
	}
	if (is_presolve(lp, PRESOLVE_SENSDUALS)) {
		set_presolve(lp, get_presolve(lp) & ~PRESOLVE_SENSDUALS, get_presolveloops(lp));
	}
	return 1;
}

static gst_flag *gst_new_flag(void) {
	gst_flag *f = (gst_flag *)calloc(1, sizeof(gst_flag));
	if (f != NULL) {
		__atomic_store_n(&f->raised, 0, __ATOMIC_RELEASE);
	}
	return f;
}

static void gst_raise_flag(gst_flag *f) { __atomic_store_n(&f->raised, 1, __ATOMIC_RELEASE); }

static int gst_flag_raised(gst_flag *f) { return __atomic_load_n(&f->raised, __ATOMIC_ACQUIRE) != 0; }

static void gst_put_abort(void *lp, gst_flag *flag) {
	put_abortfunc((lprec *)lp, flag == NULL ? NULL : gst_abortfunc, flag);
}

static int gst_ncolumns(void *lp) { return get_Ncolumns((lprec *)lp); }

typedef struct {
	int    verbose;
	long   timeout;
	double gap_abs, gap_rel; // < 0: keep lp_solve's default
	double epsint;           // <= 0: keep lp_solve's default
	int    scaling;          // < 0: keep lp_solve's default
	int    floorfirst;       // < 0: keep lp_solve's default
	int    bb_rule;          // < 0: keep lp_solve's default
	int    presolve;
	int    break_first;
	int    simplex;          // <= 0: keep lp_solve's default
} gst_settings;

static void gst_apply(void *p, gst_settings *s) {
	lprec *lp = (lprec *)p;
	set_verbose(lp, s->verbose);
	if (s->verbose > 0) {
		// lp_solve writes to a buffered stdout by default, which a Go
		// program may exit without flushing; stderr is unbuffered.
		set_outputstream(lp, stderr);
	}
	set_timeout(lp, s->timeout);
	if (s->gap_abs >= 0) set_mip_gap(lp, TRUE, s->gap_abs);
	if (s->gap_rel >= 0) set_mip_gap(lp, FALSE, s->gap_rel);
	if (s->epsint > 0) set_epsint(lp, s->epsint);
	if (s->scaling >= 0) set_scaling(lp, s->scaling);
	if (s->floorfirst >= 0) set_bb_floorfirst(lp, s->floorfirst);
	if (s->bb_rule >= 0) set_bb_rule(lp, s->bb_rule);
	set_presolve(lp, s->presolve, get_presolveloops(lp));
	set_break_at_first(lp, s->break_first ? TRUE : FALSE);
	if (s->simplex > 0) set_simplextype(lp, s->simplex);
}

typedef struct {
	long long iter, nodes;
	double    relaxed; // objective of the root LP relaxation of a MIP
	int       nrows, ncols;
} gst_stats;

static void gst_get_stats(void *p, gst_stats *s) {
	lprec *lp = (lprec *)p;
	s->iter = (long long)get_total_iter(lp);
	s->nodes = (long long)get_total_nodes(lp);
	s->relaxed = lp->real_solution;
	s->nrows = get_Norig_rows(lp);
	s->ncols = get_Norig_columns(lp);
}

// gst_get_primal copies the values of the original columns into x[0..ncols).
static void gst_get_primal(void *p, int nrows, int ncols, double *x) {
	lprec *lp = (lprec *)p;
	for (int j = 1; j <= ncols; j++) {
		x[j - 1] = get_var_primalresult(lp, nrows + j);
	}
}

// gst_get_duals copies the duals of the rows into duals[0..nrows) and the
// reduced costs of the columns into rc[0..ncols). It returns 0 when lp_solve
// has no sensitivity data.
static int gst_get_duals(void *p, int nrows, int ncols, double *duals, double *rc) {
	lprec *lp = (lprec *)p;
	REAL *d = NULL;
	// After presolve the sensitivity arrays cover only the rows and
	// columns left; refuse rather than read past them.
	if (get_Nrows(lp) != nrows || get_Ncolumns(lp) != ncols) {
		return 0;
	}
	if (!get_ptr_sensitivity_rhs(lp, &d, NULL, NULL) || d == NULL) {
		return 0;
	}
	for (int i = 0; i < nrows; i++) duals[i] = d[i];
	for (int j = 0; j < ncols; j++) rc[j] = d[nrows + j];
	return 1;
}

// gst_load fills an lprec made with nrows rows and no columns, column by
// column (lp_solve's own storage order, much faster than adding rows one
// by one). Each column's entries are val[colstart[j]..colstart[j+1]) at
// rows rowno[...], row 0 being the objective. It polls flag every 1024
// columns and returns -1 when it is raised, 0 when lp_solve refuses a
// column (out of memory) and 1 when the model is loaded.
static int gst_load(void *p, int nrows, int ncols, int *rowtype, double *rhs,
                    int *colstart, int *rowno, double *val,
                    double *lo, double *hi, unsigned char *isint, int *flag) {
	lprec *lp = (lprec *)p;
	set_add_rowmode(lp, FALSE);
	for (int i = 0; i < nrows; i++) {
		if (!set_constr_type(lp, i + 1, rowtype[i])) return 0;
		if (!set_rh(lp, i + 1, rhs[i])) return 0;
	}
	for (int j = 0; j < ncols; j++) {
		if ((j & 1023) == 0 && flag != NULL && __atomic_load_n(flag, __ATOMIC_ACQUIRE) != 0) {
			return -1;
		}
		int start = colstart[j], count = colstart[j + 1] - colstart[j];
		if (!add_columnex(lp, count, count > 0 ? &val[start] : NULL, count > 0 ? &rowno[start] : NULL)) {
			return 0;
		}
		if (!set_bounds(lp, j + 1, lo[j], hi[j])) return 0;
		if (isint[j] && !set_int(lp, j + 1, TRUE)) return 0;
	}
	return 1;
}

// gst_get_basis copies the final basis (1 + nrows + ncols entries, see
// lp_solve's get_basis with nonbasic TRUE) into b; 0 when lp_solve has none.
static int gst_get_basis(void *p, int *b) {
	return get_basis((lprec *)p, b, TRUE) ? 1 : 0;
}

// gst_set_basis starts the next solve from the basis b (as gst_get_basis
// wrote it); 0 when lp_solve refuses it.
static int gst_set_basis(void *p, int *b) {
	return set_basis((lprec *)p, b, TRUE) ? 1 : 0;
}

// gst_set_rh, gst_set_bounds and gst_set_obj change one right-hand side,
// one column's bounds or one objective coefficient of a loaded model (rows
// and columns numbered from 1); 0 when lp_solve refuses.
static int gst_set_rh(void *p, int row, double v) { return set_rh((lprec *)p, row, v) ? 1 : 0; }

static int gst_set_bounds(void *p, int col, double lo, double hi) {
	return set_bounds((lprec *)p, col, lo, hi) ? 1 : 0;
}

static int gst_set_obj(void *p, int col, double v) { return set_mat((lprec *)p, 0, col, v) ? 1 : 0; }

static void gst_set_sense(void *p, int maximize) {
	if (maximize) set_maxim((lprec *)p); else set_minim((lprec *)p);
}

static void gst_delete(void *p) { delete_lp((lprec *)p); }

// gst_solve_freemps reads a free MPS file with lp_solve's own reader and
// solves it; it returns solve()'s code (or -100 when the file does not
// read) and the objective value.
static int gst_solve_freemps(char *path, double *obj) {
	lprec *lp = read_freeMPS(path, NEUTRAL);
	if (lp == NULL) {
		return -100;
	}
	set_verbose(lp, NEUTRAL);
	int code = solve(lp);
	*obj = (code == OPTIMAL || code == SUBOPTIMAL) ? get_objective(lp) : 0;
	delete_lp(lp);
	return code;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/draffensperger/golp"
)

// lpPtr returns the lprec pointer inside a golp.LP.
//
// golp keeps it in its only, unexported field (ptr *C.lprec) and offers no
// accessor; this package needs it for the lp_solve calls golp does not
// wrap (abort function, MIP gaps, sensitivity, statistics). The layout is
// that of the pinned golp version; lpPtr returns nil when the size of
// golp.LP no longer matches one pointer, and TestLPPtr checks the pointer
// against golp's own NumCols.
func lpPtr(l *golp.LP) unsafe.Pointer {
	if l == nil || unsafe.Sizeof(*l) != unsafe.Sizeof(uintptr(0)) {
		return nil
	}
	return *(*unsafe.Pointer)(unsafe.Pointer(l))
}

// ncolumnsVia returns get_Ncolumns through the pointer from lpPtr
// (for the layout test).
func ncolumnsVia(l *golp.LP) int {
	p := lpPtr(l)
	if p == nil {
		return -1
	}
	n := int(C.gst_ncolumns(p))
	runtime.KeepAlive(l)
	return n
}

// abortFlag is the C struct that lp_solve's abort function reads: the
// flag the context raises, and the iteration limit.
type abortFlag struct{ p *C.gst_flag }

func newAbortFlag() abortFlag { return abortFlag{C.gst_new_flag()} }

func (f abortFlag) raise() {
	if f.p != nil {
		C.gst_raise_flag(f.p)
	}
}

func (f abortFlag) raised() bool { return f.p != nil && C.gst_flag_raised(f.p) != 0 }

// setMaxIterations makes the abort function stop the solve after n
// simplex iterations (n <= 0: no limit). Set it before the solve starts.
func (f abortFlag) setMaxIterations(n int64) {
	if f.p != nil {
		f.p.maxiter = C.longlong(max(n, 0))
	}
}

// hitIterations reports whether the abort function stopped the solve at
// its iteration limit. Read it after the solve returned.
func (f abortFlag) hitIterations() bool { return f.p != nil && f.p.hit != 0 }

func (f abortFlag) free() {
	if f.p != nil {
		C.free(unsafe.Pointer(f.p))
	}
}

// install makes lp_solve poll the flag; a nil flag removes the abort
// function.
func (f abortFlag) install(p unsafe.Pointer) { C.gst_put_abort(p, f.p) }

type settings struct {
	verbose      int
	timeoutSec   int64
	gapAbs       float64
	gapRel       float64
	epsInt       float64
	scaling      int
	floorFirst   int
	bbRule       int
	presolve     int
	breakAtFirst bool
	simplex      int
}

func applySettings(p unsafe.Pointer, s *settings) {
	cs := C.gst_settings{
		verbose:    C.int(s.verbose),
		timeout:    C.long(s.timeoutSec),
		gap_abs:    C.double(s.gapAbs),
		gap_rel:    C.double(s.gapRel),
		epsint:     C.double(s.epsInt),
		scaling:    C.int(s.scaling),
		floorfirst: C.int(s.floorFirst),
		bb_rule:    C.int(s.bbRule),
		presolve:   C.int(s.presolve),
		simplex:    C.int(s.simplex),
	}
	if s.breakAtFirst {
		cs.break_first = 1
	}
	C.gst_apply(p, &cs)
}

type stats struct {
	iter, nodes  int64
	relaxed      float64
	nrows, ncols int
}

func getStats(p unsafe.Pointer) stats {
	var cs C.gst_stats
	C.gst_get_stats(p, &cs)
	return stats{iter: int64(cs.iter), nodes: int64(cs.nodes), relaxed: float64(cs.relaxed),
		nrows: int(cs.nrows), ncols: int(cs.ncols)}
}

func getPrimal(p unsafe.Pointer, nrows int, x []float64) {
	if len(x) == 0 {
		return
	}
	C.gst_get_primal(p, C.int(nrows), C.int(len(x)), (*C.double)(unsafe.Pointer(&x[0])))
}

func getDuals(p unsafe.Pointer, duals, rc []float64) bool {
	var dp, rp *C.double
	if len(duals) > 0 {
		dp = (*C.double)(unsafe.Pointer(&duals[0]))
	}
	if len(rc) > 0 {
		rp = (*C.double)(unsafe.Pointer(&rc[0]))
	}
	return C.gst_get_duals(p, C.int(len(duals)), C.int(len(rc)), dp, rp) != 0
}

// getBasis returns the basis of the solved lprec at p, which has nrows
// rows and ncols columns; nil when lp_solve has none.
func getBasis(p unsafe.Pointer, nrows, ncols int) []int32 {
	b := make([]int32, 1+nrows+ncols)
	if C.gst_get_basis(p, (*C.int)(unsafe.Pointer(&b[0]))) == 0 {
		return nil
	}
	return b
}

// setBasis asks lp_solve to start from b; it reports whether lp_solve
// took it.
func setBasis(p unsafe.Pointer, b []int32) bool {
	if len(b) == 0 {
		return false
	}
	return C.gst_set_basis(p, (*C.int)(unsafe.Pointer(&b[0]))) != 0
}

// setRHS, setColBounds and setObj change one right-hand side (row from
// 1), one column's bounds or one objective coefficient (column from 1) of
// the loaded model at p; false when lp_solve refuses.
func setRHS(p unsafe.Pointer, row int, v float64) bool {
	return C.gst_set_rh(p, C.int(row), C.double(v)) != 0
}

func setColBounds(p unsafe.Pointer, col int, lo, hi float64) bool {
	return C.gst_set_bounds(p, C.int(col), C.double(lo), C.double(hi)) != 0
}

func setObj(p unsafe.Pointer, col int, v float64) bool {
	return C.gst_set_obj(p, C.int(col), C.double(v)) != 0
}

func setSense(p unsafe.Pointer, maximize bool) {
	v := C.int(0)
	if maximize {
		v = 1
	}
	C.gst_set_sense(p, v)
}

// liveLPs counts the lprecs made by newLP and not yet freed by freeLP.
var liveLPs atomic.Int64

// newLP makes an lprec of rows rows and no columns. Whoever makes one
// frees it with freeLP as soon as it is done with it: lp_solve's memory
// is not Go's, and the garbage collector, which does not see it, may run
// golp's finalizer only after many other models have been loaded (a
// master of 40,000 rows and its factorization take tens of megabytes).
func newLP(rows int) *golp.LP {
	liveLPs.Add(1)
	return golp.NewLP(rows, 0)
}

// freeLP deletes the lprec inside l at once, rather than when the garbage
// collector finalizes l; l must not be used afterwards.
func freeLP(l *golp.LP) {
	liveLPs.Add(-1)
	p := lpPtr(l)
	if p == nil {
		return
	}
	runtime.SetFinalizer(l, nil)
	C.gst_delete(p)
}

// C.int must be 32 bits for the casts in loadColumns.
var _ [unsafe.Sizeof(C.int(0)) - 4]byte
var _ [4 - unsafe.Sizeof(C.int(0))]byte

// loadColumns loads the model column by column into the lprec at p,
// which must have exactly nrows rows and no columns. It returns -1 when
// the flag was raised during loading, 0 when lp_solve refused, 1 when done.
func loadColumns(p unsafe.Pointer, rowType []int32, rhs []float64, colStart, rowNo []int32, val, lo, hi []float64, isInt []byte, flag abortFlag) int {
	ptrInt := func(s []int32) *C.int {
		if len(s) == 0 {
			return nil
		}
		return (*C.int)(unsafe.Pointer(&s[0]))
	}
	ptrF := func(s []float64) *C.double {
		if len(s) == 0 {
			return nil
		}
		return (*C.double)(unsafe.Pointer(&s[0]))
	}
	var pi *C.uchar
	if len(isInt) > 0 {
		pi = (*C.uchar)(unsafe.Pointer(&isInt[0]))
	}
	return int(C.gst_load(p, C.int(len(rowType)), C.int(len(lo)), ptrInt(rowType), ptrF(rhs),
		ptrInt(colStart), ptrInt(rowNo), ptrF(val), ptrF(lo), ptrF(hi), pi, flagInt(flag)))
}

// flagInt is the raised field of the flag, which gst_load polls (nil for
// no flag).
func flagInt(f abortFlag) *C.int {
	if f.p == nil {
		return nil
	}
	return &f.p.raised
}

// solveFreeMPS reads a free MPS file with lp_solve's reader (read_freeMPS)
// and solves it with lp_solve's defaults. It returns solve()'s code and
// the objective (0 unless the code is OPTIMAL or SUBOPTIMAL). It serves
// the tests that check WriteMPS against lp_solve's reader.
func solveFreeMPS(path string) (code int, obj float64, err error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var o C.double
	code = int(C.gst_solve_freemps(cpath, &o))
	if code == -100 {
		return code, 0, fmt.Errorf("lp: lp_solve cannot read %s as free MPS", path)
	}
	return code, float64(o), nil
}

// lp_solve codes used by this package (lp_lib.h).
const (
	presolveRows      = int(C.PRESOLVE_ROWS)
	presolveCols      = int(C.PRESOLVE_COLS)
	presolveLindep    = int(C.PRESOLVE_LINDEP)
	presolveSensDuals = int(C.PRESOLVE_SENSDUALS)
)
