//go:build !unix

package capacity

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
