// Package lpsize estimates, before a programme is built, the memory
// lp_solve needs for it, so that staff pooling and activity transfer can
// refuse a model above their size limit (gst.TooLargeError).
package lpsize

// Bytes returns a rough estimate, in bytes, of the memory of a programme of
// the given size in lp_solve.
func Bytes(rows, cols, nonzeros int64) int64 {
	return 2*(rows+cols)*64 + nonzeros*3*16 + cols*32
}
