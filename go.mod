module github.com/gstplan/gst

go 1.24.0

require (
	github.com/draffensperger/golp v0.0.0-20250721104811-2d405f0b4e68
	github.com/google/go-cmp v0.7.0
	gonum.org/v1/gonum v0.17.0
)
