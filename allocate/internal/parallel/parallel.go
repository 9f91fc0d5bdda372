package parallel

import (
	"runtime"
	"sync"

	"github.com/gstplan/gst"
)

// Workers checks a worker count, reporting a negative one under where, and
// returns it with its default: runtime.GOMAXPROCS(0), which also caps it.
func Workers(ps *gst.Problems, where string, w int) int {
	if w < 0 {
		ps.Addf(where, "Workers", "negative worker count %d", w)
	}
	if n := runtime.GOMAXPROCS(0); w <= 0 || w > n {
		w = n
	}
	return w
}

// Run calls f(0), …, f(n−1), at most workers at a time, and returns the
// first error in index order. Which goroutine runs which call does not
// change the result when the calls are independent.
func Run(workers, n int, f func(int) error) error {
	errs := make([]error, n)
	w := min(workers, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for k := 0; k < w; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
