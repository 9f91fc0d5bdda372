// Package enumtext reads the text form of the library's enumerations
// (objectives, capacity rules, metrics, methods, granularities…): their
// String form, in any case, with hyphens or underscores for spaces, or one
// of a few documented short forms.
//
// Parse is a pure function, safe for concurrent use.
package enumtext
