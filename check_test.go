package gst

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// editedDir reads a region directory into memory, letting edit change the
// records (header first) of each CSV file.
func editedDir(t *testing.T, dir string, edit func(file string, recs [][]string) [][]string) fstest.MapFS {
	t.Helper()
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
		if strings.HasSuffix(e.Name(), ".csv") && edit != nil {
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			recs = edit(e.Name(), recs)
			var out bytes.Buffer
			w := csv.NewWriter(&out)
			if err := w.WriteAll(recs); err != nil {
				t.Fatal(err)
			}
			b = out.Bytes()
		}
		fsys["r/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	return fsys
}

func col(recs [][]string, name string) int {
	for i, h := range recs[0] {
		if h == name {
			return i
		}
	}
	return -1
}

func checkDir(t *testing.T, fsys fstest.MapFS) ([]Warning, error) {
	t.Helper()
	r, err := ReadDir(fsys, "r", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r.Check()
}

// TestCheckBundledRegions: the bundled regions give no warning.
func TestCheckBundledRegions(t *testing.T) {
	dirs, _ := filepath.Glob("examples/data/*/areas.csv")
	if len(dirs) == 0 {
		t.Fatal("no bundled region")
	}
	for _, d := range dirs {
		r, err := Open(filepath.Dir(d), nil)
		if err != nil {
			t.Fatal(err)
		}
		ws, err := r.Check()
		if err != nil || len(ws) > 0 {
			t.Errorf("%s: %d warnings (%v), error %v", filepath.Dir(d), len(ws), ws, err)
		}
	}
}

// TestCheckSwappedEstablishments pins finding 3: latitude and longitude
// swapped in establishments.csv are warned about, each naming the file,
// line and column.
func TestCheckSwappedEstablishments(t *testing.T) {
	for _, dir := range []string{"examples/quickstart/ifrane", "examples/data/tanger", "examples/data/dakhla"} {
		n := 0
		fsys := editedDir(t, dir, func(file string, recs [][]string) [][]string {
			if file == "establishments.csv" {
				la, lo := col(recs, "lat"), col(recs, "lon")
				for _, r := range recs[1:] {
					r[la], r[lo] = r[lo], r[la]
				}
				n = len(recs) - 1
			}
			return recs
		})
		ws, err := checkDir(t, fsys)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != n {
			t.Fatalf("%s: %d warnings for %d swapped establishments", dir, len(ws), n)
		}
		for i, w := range ws {
			if w.Kind != SwappedLatLon || w.File != "r/establishments.csv" || w.Line != i+2 || w.Field != "lat" || !strings.Contains(w.String(), "r/establishments.csv:") {
				t.Errorf("%s: warning %d: %+v", dir, i, w)
			}
		}
	}
}

// TestCheckPlaces pins the other warnings on places: a hospital moved to
// Paris keeping its province, an area given another province's code, an
// area's point swapped against its outline.
func TestCheckPlaces(t *testing.T) {
	var hospital, moved string
	fsys := editedDir(t, "examples/data/tanger", func(file string, recs [][]string) [][]string {
		switch file {
		case "establishments.csv":
			la, lo, lv := col(recs, "lat"), col(recs, "lon"), col(recs, "level")
			for _, r := range recs[1:] {
				if r[lv] == "chu" {
					r[la], r[lo] = "48.8566", "2.3522"
					hospital = r[0]
					break
				}
			}
		case "areas.csv":
			pv, la, lo := col(recs, "province"), col(recs, "lat"), col(recs, "lon")
			// The last area of the list moves to the first's province; the
			// second swaps its coordinates.
			last := recs[len(recs)-1]
			if last[pv] != recs[1][pv] {
				last[pv] = recs[1][pv]
				moved = last[0]
			}
			recs[2][la], recs[2][lo] = recs[2][lo], recs[2][la]
		}
		return recs
	})
	ws, err := checkDir(t, fsys)
	if err != nil {
		t.Fatal(err)
	}
	got := map[CheckKind][]string{}
	for _, w := range ws {
		got[w.Kind] = append(got[w.Kind], w.String())
	}
	if len(got[FarOutside]) != 1 || !strings.Contains(got[FarOutside][0], hospital) || !strings.Contains(got[FarOutside][0], "establishments.csv:") {
		t.Errorf("far outside: %v", got[FarOutside])
	}
	if moved == "" || len(got[ScatteredProvince]) == 0 || !strings.Contains(strings.Join(got[ScatteredProvince], "\n"), moved) {
		t.Errorf("scattered province (%s): %v", moved, got[ScatteredProvince])
	}
	if len(got[SwappedLatLon]) != 1 || !strings.Contains(got[SwappedLatLon][0], "areas.csv:3:") {
		t.Errorf("swapped area: %v", got[SwappedLatLon])
	}
}

// TestCheckTravel pins the travel rows: 2 km in 1.5 minutes between
// places 75 km apart is refused, naming travel.csv and its line; a fast
// row is a warning.
func TestCheckTravel(t *testing.T) {
	// Azrou and the hospital of Azrou, Tizguite (25 km), Timahdite (about
	// 20 km from Azrou, 40 from Tizguite).
	rows := "from,to,minutes,km\n" +
		"03.271.01.01,osm-node-12118900630,4,1.5\n" +
		"03.271.01.07,hc-timahdite,1.5,2\n" +
		"03.271.01.07,osm-node-12118900630,9,30\n"
	fsys := editedDir(t, "examples/quickstart/ifrane", nil)
	fsys["r/travel.csv"] = &fstest.MapFile{Data: []byte(rows)}
	r, err := ReadDir(fsys, "r", nil)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := r.Check()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "r/travel.csv:3: travel") || !strings.Contains(err.Error(), "no road is that fast") ||
		!strings.Contains(err.Error(), "no road is shorter than the straight line") {
		t.Errorf("error: %v", err)
	}
	if len(ws) != 1 || ws[0].Kind != ImplausibleTravel || ws[0].Line != 4 || !strings.Contains(ws[0].Message, "km/h") {
		t.Errorf("warnings: %v", ws)
	}
}
