// Package parallel runs independent solves a few at a time, and resolves
// the worker counts of the decisions' options.
//
// Run returns the same error whatever the number of workers: the first in
// index order. The calls must be independent for their results to be too.
package parallel
