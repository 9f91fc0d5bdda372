// Package lpsize estimates, before a programme is built, the memory
// lp_solve needs for it, so that staff pooling and activity transfer can
// refuse a model above their size limit (gst.TooLargeError).
//
// Sizes are in bytes; the estimate is a pure function of the model's
// rows, columns and nonzeros.
package lpsize
