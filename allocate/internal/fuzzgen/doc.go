// Package fuzzgen builds small problems from a fuzzer's bytes for the fuzz
// targets of Locate, staff pooling and activity transfer: regions of a few
// areas and establishments whose values come from menus that hold the
// awkward ones (zero, negative, NaN, infinite, huge, unknown IDs), so that
// the targets check that the decisions never panic, return only typed
// errors, and return plans that hold their own rules.
//
// The same bytes always build the same problem; nothing is random.
package fuzzgen
