package reliability

import (
	"bytes"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gstplan/gst"
)

// shuffleDir copies a region directory into dst with the data rows of
// every CSV file in a random order (seeded; the header stays first). The
// attribution rows of region.csv keep their order among themselves: they
// are paragraphs of credit, shown in the order given, so their order is
// content, not layout.
func shuffleDir(t *testing.T, src, dst string, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 99))
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(e.Name(), ".csv") {
			// Other files (areas.geojson) are copied as they are.
			if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		rows := recs[1:]
		var attr [][]string
		for _, r := range rows {
			if r[0] == "attribution" && e.Name() == "region.csv" {
				attr = append(attr, r)
			}
		}
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		// The places the shuffle gave the attribution rows take them in
		// their original order.
		k := 0
		for i, r := range rows {
			if r[0] == "attribution" && e.Name() == "region.csv" {
				rows[i] = attr[k]
				k++
			}
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if len(rows) > 1 {
			n++
		}
	}
	if n < 8 {
		t.Fatalf("only %d files shuffled", n)
	}
}

// TestShuffledRowsGiveIdenticalPlans reads the pilot region and a copy
// whose files list their rows in another order, and checks that every
// plan of pilotJobs, and what they are computed from (the demand, the
// assessment, the pooling need), are the same byte for byte in JSON.
func TestShuffledRowsGiveIdenticalPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	orig, err := prepare(ctx, openPilot(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	shuffleDir(t, pilotDir, dir, 2024)
	r, err := gst.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The reader puts records in the order of their IDs, whatever the
	// order of the rows: the region read is the same one.
	if !bytes.Equal(encode(t, orig.region), encode(t, r)) {
		t.Fatal("the region read from shuffled rows differs")
	}
	shuf, err := prepare(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	same := func(name string, a, b any) {
		t.Helper()
		ja, jb := encode(t, a), encode(t, b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s differs after shuffling the rows:\n%s", name, firstDifference(ja, jb))
		}
	}
	same("demand", orig.demand, shuf.demand)
	same("assessment", orig.assess, shuf.assess)
	same("pooling need", orig.need, shuf.need)
	// The rows of the problems too may come in any order.
	rng := rand.New(rand.NewPCG(7, 7))
	rng.Shuffle(len(shuf.need), func(i, j int) { shuf.need[i], shuf.need[j] = shuf.need[j], shuf.need[i] })
	rng.Shuffle(len(shuf.teams), func(i, j int) { shuf.teams[i], shuf.teams[j] = shuf.teams[j], shuf.teams[i] })
	// (Pathways and steps are reported in the set's order, by design.)
	for _, j := range pilotJobs() {
		a, err := j.run(ctx, orig)
		if err != nil {
			t.Errorf("%s: %v", j.name, err)
			continue
		}
		b, err := j.run(ctx, shuf)
		if err != nil {
			t.Errorf("%s (shuffled): %v", j.name, err)
			continue
		}
		same(j.name, a, b)
	}
}

// firstDifference shows where two byte strings first differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-120)
	return "  original: …" + string(a[lo:min(len(a), i+120)]) + "…\n  shuffled: …" + string(b[lo:min(len(b), i+120)]) + "…"
}
