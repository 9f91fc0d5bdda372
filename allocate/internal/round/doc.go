// Package round rounds away the noise of floating-point sums in the
// figures a plan reports, so that equal plans print equal figures.
//
// Clean is a pure function: the same figure always gives the same text.
package round
