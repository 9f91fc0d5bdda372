//go:build !unix

package main

// peakRSSMB returns 0: this system's peak resident memory is not read.
func peakRSSMB() float64 { return 0 }
