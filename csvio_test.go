package gst

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for n, s := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func TestReadDirQuirks(t *testing.T) {
	// A byte order mark, CRLF line ends, quoted fields with commas and
	// quotes, columns in another order and surrounding spaces.
	fsys := mapFS(map[string]string{
		"areas.csv": "\xEF\xBB\xBFpopulation,lon,lat,id,name\r\n" +
			"1200, -5.1 ,34.2,a1,\"Ville, \"\"centre\"\"\"\r\n" +
			"300,-5.3,34.0,a2,Douar\r\n",
		"establishments.csv": "id,level,lat,lon,name\n\"e1\",CHP,34.1,-5.2,\"Hôpital\nProvincial\"\n",
		"services.csv":       "id\nconsult\n",
		"offers.csv":         "establishment,service\ne1,consult\n",
	})
	r, err := ReadDir(fsys, ".", nil)
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	want := []Area{
		{ID: "a1", Name: `Ville, "centre"`, Lat: 34.2, Lon: -5.1, Population: 1200},
		{ID: "a2", Name: "Douar", Lat: 34.0, Lon: -5.3, Population: 300},
	}
	if diff := cmp.Diff(want, r.Areas); diff != "" {
		t.Errorf("areas (-want +got):\n%s", diff)
	}
	e := r.Establishments[0]
	if e.Name != "Hôpital\nProvincial" || e.Level != ProvincialHospital || !e.OffersService("consult") {
		t.Errorf("establishment = %+v", e)
	}
}

func TestReadDirUnicodeNames(t *testing.T) {
	fsys := mapFS(map[string]string{
		"areas.csv": "id,name,lat,lon,population\nx1,مستشفى الغساني,34,-5,10\nx2,ⵜⴰⵎⴰⵣⵉⵖⵜ,34,-5,20\n",
	})
	r, err := ReadDir(fsys, ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Areas[0].Name != "مستشفى الغساني" || r.Areas[1].Name != "ⵜⴰⵎⴰⵣⵉⵖⵜ" {
		t.Errorf("names = %q, %q", r.Areas[0].Name, r.Areas[1].Name)
	}
}

func TestReadDirErrors(t *testing.T) {
	good := "id,lat,lon,population\na1,34,-5,10\n"
	tests := []struct {
		name  string
		files map[string]string
		opt   *ReadOptions
		want  []string // substrings, one per expected error, in order
		is    error
	}{
		{"missing areas file", map[string]string{"services.csv": "id\ns\n"}, nil,
			[]string{"areas.csv: file: required file is missing"}, ErrInvalid},
		{"empty file", map[string]string{"areas.csv": ""}, nil,
			[]string{"areas.csv:1: header: file is empty"}, ErrInvalid},
		{"unknown column", map[string]string{"areas.csv": "id,lat,lon,population,colour\na,1,1,1,red\n"}, nil,
			[]string{`areas.csv:1:5: header: colour: unknown column "colour"`}, ErrInvalid},
		{"missing column", map[string]string{"areas.csv": "id,lat,population\na,1,1\n"}, nil,
			[]string{`areas.csv:1: header: lon: missing required column "lon"`}, ErrInvalid},
		{"duplicate column", map[string]string{"areas.csv": "id,lat,lon,lat,population\na,1,1,1,1\n"}, nil,
			[]string{`areas.csv:1:4: header: lat: column given twice`}, ErrInvalid},
		{"bad number", map[string]string{"areas.csv": "id,lat,lon,population\na,34,-5,lots\nb,34,-5,NaN\n"}, nil,
			[]string{`areas.csv:2:4: area "a": population: must be a finite number, got "lots"`,
				`areas.csv:3:4: area "b": population: must be a finite number, got "NaN"`}, ErrInvalid},
		{"ragged row", map[string]string{"areas.csv": "id,lat,lon,population\na,34,-5\n"}, nil,
			[]string{"areas.csv:2: row: has 3 fields, the header has 4"}, ErrInvalid},
		{"bad quote", map[string]string{"areas.csv": "id,lat,lon,population\n\"a,34,-5,1\n"}, nil,
			[]string{"areas.csv:2:"}, ErrInvalid},
		{"validation with position", map[string]string{"areas.csv": "id,lat,lon,population\na,34,-5,10\nb,95,-5,-2\n"}, nil,
			[]string{`areas.csv:3:2: area "b": lat: must be a latitude`, `areas.csv:3:4: area "b": population: must be a finite number >= 0, got -2`}, ErrInvalid},
		{"duplicate ID with position", map[string]string{"areas.csv": "id,lat,lon,population\na,34,-5,10\na,34,-5,10\n"}, nil,
			[]string{`areas.csv:3:1: area "a": id: duplicate area ID`}, ErrInvalid},
		{"offer of unknown establishment", map[string]string{"areas.csv": good, "services.csv": "id\ns\n", "offers.csv": "establishment,service\nzz,s\n"}, nil,
			[]string{`offers.csv:2:1: offer (establishment "zz", service "s"): establishment: unknown establishment "zz"`}, ErrInvalid},
		{"offer of unknown service", map[string]string{"areas.csv": good, "services.csv": "id\ns\n",
			"establishments.csv": "id,level,lat,lon\ne,essp,34,-5\n", "offers.csv": "establishment,service\ne,s\ne,t\n"}, nil,
			[]string{`offers.csv:3:2: establishment "e" offer "t": service: unknown service "t"`}, ErrInvalid},
		{"bad level and ownership", map[string]string{"areas.csv": good, "establishments.csv": "id,level,ownership,lat,lon\ne,castle,state,34,-5\n"}, nil,
			[]string{`establishments.csv:2:2: establishment "e": level: unknown level "castle"`, `establishments.csv:2:3: establishment "e": ownership: unknown ownership "state"`}, ErrInvalid},
		{"bad boolean", map[string]string{"areas.csv": "id,lat,lon,population,urban\na,34,-5,1,maybe\n"}, nil,
			[]string{`areas.csv:2:5: area "a": urban: must be true or false, got "maybe"`}, ErrInvalid},
		{"travel duplicate", map[string]string{"areas.csv": good, "travel.csv": "from,to,minutes,km\na1,a1,1,1\na1,a1,2,2\n"}, nil,
			[]string{`travel.csv:3: travel "a1" → "a1": pair given twice (first on line 2)`}, ErrInvalid},
		{"travel negative", map[string]string{"areas.csv": good, "travel.csv": "from,to,minutes,km\na1,a1,-1,1\n"}, nil,
			[]string{`travel.csv:2:3: travel "a1" → "a1": minutes: must be >= 0, got -1`}, ErrInvalid},
		{"travel unknown place", map[string]string{"areas.csv": good, "travel.csv": "from,to,minutes,km\na1,h9,1,1\n"}, nil,
			[]string{`travel matrix destination "h9": to: not an area or establishment of the region`}, ErrInvalid},
		{"too large", map[string]string{"areas.csv": good}, &ReadOptions{MaxFileBytes: 10},
			[]string{"areas.csv: file: gst: too large"}, ErrTooLarge},
		{"region field", map[string]string{"areas.csv": good, "region.csv": "field,value\ncolour,red\n"}, nil,
			[]string{`region.csv:2:1: region: field: unknown field "colour"`}, ErrInvalid},
		{"region id repeated", map[string]string{"areas.csv": good, "region.csv": "field,value\nid,03\nname,A\nid,01\nattribution,x\nattribution,y\n"}, nil,
			[]string{`region.csv:4:1: region: field: "id" given twice (first on line 2): a region has one id`}, ErrInvalid},
		{"semicolons", map[string]string{"areas.csv": "id;lat;lon;population\na;34,5;-5;10\n"}, nil,
			[]string{`areas.csv:1: header: the columns are separated by semicolons ("id;lat;lon;population")`}, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDir(mapFS(tc.files), ".", tc.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) = false", tc.is)
			}
			var list []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				list = j.Unwrap()
			} else {
				list = []error{err}
			}
			if len(list) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.Contains(list[i].Error(), w) {
					t.Errorf("error %d = %q, want it to contain %q", i, list[i], w)
				}
			}
		})
	}
}

func TestReadMatrixCSV(t *testing.T) {
	in := "to,from,km,minutes\r\nh1,a2,10,12\nh1,a1,5,6.5\nh2,a1,30,40\n"
	m, err := ReadMatrixCSV(strings.NewReader(in), "od.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a1", "a2"}, m.From()); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
	if l, ok := m.Lookup("a1", "h1"); !ok || l != (Leg{Minutes: 6.5, Km: 5}) {
		t.Errorf("a1→h1 = %v, %v", l, ok)
	}
	if diff := cmp.Diff([]Pair{{"a2", "h2"}}, m.Unreachable()); diff != "" {
		t.Errorf("unreachable (-want +got):\n%s", diff)
	}
	if m.Reachable() != 3 {
		t.Errorf("Reachable = %d", m.Reachable())
	}
	if _, err := ReadMatrixCSV(strings.NewReader(in), "od.csv", &ReadOptions{MaxFileBytes: 8}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size limit: %v", err)
	}
}

func FuzzReadDir(f *testing.F) {
	f.Add("id,lat,lon,population\na,34,-5,10\n", "id,level,lat,lon\ne,essp,34,-5\n", "establishment,service,capacity\ne,s,1\n")
	f.Add("\xEF\xBB\xBFid,lat,lon,population\r\n\"a\",95,-5,NaN\r\n", "id,level\n", "establishment\n")
	f.Add("id,lat\n\"", "", "establishment,service\ne,s\ne,s\n")
	f.Fuzz(func(t *testing.T, areas, ests, offers string) {
		fsys := mapFS(map[string]string{"areas.csv": areas, "establishments.csv": ests, "offers.csv": offers, "services.csv": "id\ns\n"})
		r, err := ReadDir(fsys, ".", &ReadOptions{MaxFileBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ReadDir returned an invalid region: %v", err)
		}
		// What was read writes and reads back the same.
		files, err := EncodeCSV(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadDir(mapFSBytes(files), ".", nil)
		if err != nil {
			t.Fatalf("re-reading written region: %v", err)
		}
		if diff := cmp.Diff(r, back, regionCmp); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func mapFSBytes(files map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for n, b := range files {
		fsys[n] = &fstest.MapFile{Data: b}
	}
	return fsys
}

func FuzzReadMatrixCSV(f *testing.F) {
	f.Add("from,to,minutes,km\na,b,1,2\n")
	f.Add("km,minutes,to,from\r\n1,2,b,a\r\n1,2,b,a\r\n")
	f.Add("from,to,minutes,km\na,b,-1,NaN\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ReadMatrixCSV(strings.NewReader(in), "t.csv", &ReadOptions{MaxFileBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		for _, e := range m.Entries() {
			if !(Leg{e.Minutes, e.Km}).valid() {
				t.Fatalf("invalid leg stored: %+v", e)
			}
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	f.Add(`{"areas":[{"id":"a","lat":1,"lon":2,"population":3}]}`)
	f.Add(`{"areas":[{"id":"a","lat":1,"lon":2,"population":3}],"travel":{"legs":[{"from":"a","to":"a","minutes":1,"km":1}]}}`)
	f.Add(`{"areas":[],"establishments":[{"id":"e","level":"chu"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ReadJSON(strings.NewReader(in), "r.json", &ReadOptions{MaxFileBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ReadJSON returned an invalid region: %v", err)
		}
	})
}

func TestReadDirNoCascade(t *testing.T) {
	var offers, segs strings.Builder
	offers.WriteString("establishment,service\n")
	segs.WriteString("area,segment,population\n")
	for i := 0; i < 1500; i++ {
		offers.WriteString("e1,s\n")
		segs.WriteString("a1,coverage/amo,1\n")
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"areas without rows", map[string]string{"areas.csv": "id,lat,lon,population\n", "segments.csv": segs.String()},
			"areas.csv: file: has no rows: a region needs at least one area"},
		{"areas with a bad header", map[string]string{"areas.csv": "id,lat,lon,populaton\na1,1,1,1\n", "segments.csv": segs.String()},
			`areas.csv:1:4: header: populaton: unknown column "populaton"`},
		{"establishments with a bad header", map[string]string{"areas.csv": "id,lat,lon,population\na1,1,1,1\n", "services.csv": "id\ns\n",
			"establishments.csv": "id,levle,lat,lon\ne1,essp,1,1\n", "offers.csv": offers.String()},
			`establishments.csv:1:2: header: levle: unknown column "levle"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDir(mapFS(tc.files), ".", nil)
			if err == nil {
				t.Fatal("no error")
			}
			list := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				list = j.Unwrap()
			}
			if len(list) > 2 || !strings.Contains(list[0].Error(), tc.want) {
				t.Errorf("got %d errors, first %q; want the first to contain %q and no cascade", len(list), list[0], tc.want)
			}
		})
	}
}
