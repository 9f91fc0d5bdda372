// Package lp builds linear and mixed-integer programmes and solves them
// with lp_solve.
package lp
