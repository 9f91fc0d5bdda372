package allocate

import "testing"

func TestSizeText(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {512, "512 B"}, {1536, "1.5 KiB"}, {300 << 10, "300 KiB"},
		{5 << 20, "5.0 MiB"}, {2 << 30, "2.0 GiB"}, {123 << 30, "123 GiB"},
	} {
		if got := sizeText(tc.n); got != tc.want {
			t.Errorf("sizeText(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
