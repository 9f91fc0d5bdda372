package gst

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzRegionFiles fuzzes the files of a region directory that FuzzReadDir
// leaves fixed (region, provinces, segments, services, categories, staff
// and travel), beside valid areas, establishments and offers: no panic,
// only typed errors, and a region read writes and reads back the same.
func FuzzRegionFiles(f *testing.F) {
	f.Add("field,value\nid,01\nname,R\nattribution,\"a, b\"\n", "id,name\nP1,North\n", "area,segment,population\na1,coverage/amo,5\n",
		"id,name,unit,min_level,standard_minutes\ns,S,visit,essp,30\n", "id,hours_per_year,annual_cost\nc,1600,1000\n",
		"establishment,category,fte\ne,c,2\n", "from,to,minutes,km\na1,e,10,5\n")
	f.Add("\xEF\xBB\xBFfield,value\r\nid,\"0\"\"1\"\r\n", "id\r\nP1\r\nP1\r\n", "area,segment,population\na1,age/0-4,NaN\na1,age/0-4,1\n",
		"id,min_level\ns,clinic\n", "id,hours_per_year\nc,0\n", "establishment,category,fte\ne,zz,-1\n", "from,to,minutes,km\na1,e,0,0\ne,a1,0,0\n")
	f.Add("field,value\nsize,3\n", "id,name\n\"\n", "area,segment\n", "id\n", "id,hours_per_year\n,\n", "category,fte\n", "to,from,km,minutes\nx,y,1,1\n")
	areas := "id,name,province,lat,lon,population,urban\na1,A,P1,35,-5,1000,true\na2,B,,35.1,-5.1,0,false\n"
	ests := "id,level,province,area,lat,lon\ne,local,P1,a1,35,-5\n"
	offers := "establishment,service,capacity\ne,s,10\n"
	f.Fuzz(func(t *testing.T, region, provinces, segments, services, categories, staff, travel string) {
		files := map[string]string{"areas.csv": areas, "establishments.csv": ests, "offers.csv": offers,
			"region.csv": region, "provinces.csv": provinces, "segments.csv": segments, "services.csv": services,
			"categories.csv": categories, "staff.csv": staff, "travel.csv": travel}
		r, err := ReadDir(mapFS(files), ".", &ReadOptions{MaxFileBytes: 1 << 16})
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ReadDir returned an invalid region: %v", err)
		}
		out, err := EncodeCSV(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadDir(mapFSBytes(out), ".", nil)
		if err != nil {
			t.Fatalf("re-reading written region: %v", err)
		}
		if diff := cmp.Diff(r, back, regionCmp); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzTablesJSON fuzzes the JSON readers of the tables the packages
// exchange: demand tables, assignments and travel matrices. What they
// accept holds valid values and encodes back to what reads the same.
func FuzzTablesJSON(f *testing.F) {
	f.Add(`[{"area":"a","service":"s","volume":1}]`)
	f.Add(`[{"area":"a","service":"s","establishment":"e","share":0.5},{"area":"a","service":"s","establishment":"f","share":0.5}]`)
	f.Add(`{"from":["a"],"to":["e"],"legs":[{"from":"a","to":"e","minutes":1,"km":2}]}`)
	f.Add(`{"legs":[{"from":"a","to":"e","minutes":-1,"km":1e400}]}`)
	f.Add(`[{"area":"a","service":"s","volume":1},{"area":"a","service":"s","volume":2}]`)
	f.Fuzz(func(t *testing.T, in string) {
		typed := func(err error) {
			t.Helper()
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			if err != nil && !errors.Is(err, ErrInvalid) && !errors.As(err, &se) && !errors.As(err, &te) {
				t.Fatalf("untyped error: %v", err)
			}
		}
		var d DemandTable
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			typed(err)
		} else {
			for _, row := range d.Rows() {
				if row.Area == "" || row.Service == "" || !(row.Volume >= 0) || row.Volume > 1e308 {
					t.Fatalf("invalid row %+v", row)
				}
			}
			roundTrip(t, &d, &DemandTable{})
		}
		var a Assignment
		if err := json.Unmarshal([]byte(in), &a); err != nil {
			typed(err)
		} else {
			for _, row := range a.Rows() {
				if !(row.Share > 0 && row.Share <= 1) || a.Served(row.Area, row.Service) > 1+AssignmentTolerance {
					t.Fatalf("invalid allocation %+v", row)
				}
			}
			roundTrip(t, &a, &Assignment{})
		}
		var m Matrix
		if err := json.Unmarshal([]byte(in), &m); err != nil {
			typed(err)
		} else {
			for _, e := range m.Entries() {
				if !(Leg{e.Minutes, e.Km}).valid() {
					t.Fatalf("invalid leg %+v", e)
				}
			}
			roundTrip(t, &m, &Matrix{})
		}
	})
}

// roundTrip encodes v, decodes it into w and checks that w encodes the same.
func roundTrip(t *testing.T, v, w any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	if err := json.Unmarshal(b, w); err != nil {
		t.Fatalf("reading back %s: %v", b, err)
	}
	b2, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Fatalf("round trip:\n%s\n%s", b, b2)
	}
}
