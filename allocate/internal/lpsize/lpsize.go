package lpsize

// Bytes returns a rough estimate, in bytes, of the memory of a programme of
// the given size in lp_solve.
func Bytes(rows, cols, nonzeros int64) int64 {
	return 2*(rows+cols)*64 + nonzeros*3*16 + cols*32
}
