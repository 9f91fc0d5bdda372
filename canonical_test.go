package gst

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// shuffledDir reads a region directory with the rows of every CSV file
// (the header kept first) in a random order.
func shuffledDir(t *testing.T, dir string, seed int64) fstest.MapFS {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), ".csv") {
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			rows := lines[1:]
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			b = []byte(strings.Join(lines, "\n") + "\n")
		}
		fsys["r/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// TestShuffledRowsSameRegion pins the reader's canonical order: with the
// rows of every file shuffled, the region read is the same, and so is its
// JSON, byte for byte; a problem found later still names its line.
func TestShuffledRowsSameRegion(t *testing.T) {
	const dir = "examples/quickstart/ifrane"
	orig, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WriteJSON(&want, orig); err != nil {
		t.Fatal(err)
	}
	for seed := int64(1); seed <= 3; seed++ {
		fsys := shuffledDir(t, dir, seed)
		r, err := ReadDir(fsys, "r", nil)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := WriteJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("seed %d: the region read from shuffled rows differs", seed)
		}
		// The source map follows the records: break the first area and
		// the error names the line it is on in the shuffled file.
		id := r.Areas[0].ID
		r.Areas[0].Population = -1
		err = r.Validate()
		lines := strings.Split(string(fsys["r/areas.csv"].Data), "\n")
		line := 0
		for i, l := range lines {
			if strings.HasPrefix(l, string(id)+",") {
				line = i + 1
			}
		}
		if err == nil || !strings.Contains(err.Error(), "areas.csv:"+strconv.Itoa(line)+":") {
			t.Errorf("seed %d: area %s is on line %d; error %v", seed, id, line, err)
		}
	}
}
