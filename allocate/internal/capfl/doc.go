// Package capfl solves capacitated facility location problems exactly,
// with a proven lower bound.
package capfl
