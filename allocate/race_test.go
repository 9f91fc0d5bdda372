//go:build race

package allocate

func init() { raceEnabled = true }
