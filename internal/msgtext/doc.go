// Package msgtext writes numbers and lists in the library's messages
// (reasons of infeasibility, explanations), the same way everywhere.
//
// The functions are pure: the same figure or list always gives the same
// text.
package msgtext
