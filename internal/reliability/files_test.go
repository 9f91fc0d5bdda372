package reliability

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gstplan/gst"
)

// A small region directory, valid as it stands; the catalogue breaks one
// thing in it at a time. Line numbers in the cases count the header as
// line 1.
var baseFiles = map[string]string{
	"region.csv":    "field,value\nid,T\nname,Test region\n",
	"provinces.csv": "id,name\nP1,North\nP2,South\n",
	"areas.csv": "id,name,province,lat,lon,population,year,urban\n" +
		"A1,Alpha,P1,35.70,-5.80,12000,2024,true\n" +
		"A2,Beta,P1,35.60,-5.50,8000,2024,false\n" +
		"A3,Gamma,P2,35.20,-5.30,5000,2024,false\n",
	"segments.csv": "area,segment,population\nA1,coverage/amo,5000\nA2,coverage/amo,2000\n",
	"establishments.csv": "id,name,level,ownership,province,area,lat,lon,beds,closable,candidate\n" +
		"E1,Hospital one,provincial,public,P1,A1,35.71,-5.81,120,false,false\n" +
		"E2,Centre two,local,public,P1,A2,35.61,-5.51,30,true,false\n" +
		"E3,Site three,local,public,P2,A3,35.21,-5.31,0,false,true\n",
	"services.csv":   "id,name,unit,min_level,standard_minutes\nS1,Maternity,delivery,local,60\n",
	"offers.csv":     "establishment,service,capacity\nE1,S1,600\nE2,S1,300\nE3,S1,300\n",
	"categories.csv": "id,name,hours_per_year,annual_cost\nC1,Midwife,1950,150000\n",
	"staff.csv":      "establishment,category,fte\nE1,C1,6\nE2,C1,2\n",
}

// files returns a copy of baseFiles with some files replaced; an empty
// string removes a file.
func files(change map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range baseFiles {
		out[k] = v
	}
	for k, v := range change {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// replaceLine returns baseFiles[name] with line n (from 1, the header) set
// to s.
func replaceLine(name string, n int, s string) string {
	lines := strings.Split(baseFiles[name], "\n")
	lines[n-1] = s
	return strings.Join(lines, "\n")
}

// appendLine returns baseFiles[name] with a line added.
func appendLine(name, s string) string { return baseFiles[name] + s + "\n" }

func mapFS(m map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, v := range m {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fsys
}

// readFiles reads a region from files held in memory.
func readFiles(m map[string]string, opt *gst.ReadOptions) (*gst.Region, error) {
	return gst.ReadDir(mapFS(m), ".", opt)
}

// writeFiles writes files into a new temporary directory and returns it.
func writeFiles(t testing.TB, m map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for k, v := range m {
		if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// baseRegion reads baseFiles.
func baseRegion(t testing.TB) *gst.Region {
	t.Helper()
	r, err := readFiles(baseFiles, nil)
	if err != nil {
		t.Fatalf("the base region is invalid: %v", err)
	}
	return r
}

// leaves flattens a tree of joined errors into its leaves.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// loc says where a *gst.ValidationError must point: its non-zero fields
// must match one of the leaves of the error (Where as a substring).
type loc struct {
	File   string
	Line   int
	Column int
	Where  string
	Field  string
}

func (l loc) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", l.File, l.Line, l.Column, l.Where, l.Field)
}

// findValidation reports whether err holds a *gst.ValidationError at l.
func findValidation(err error, l loc) bool {
	for _, e := range leaves(err) {
		var ve *gst.ValidationError
		if !errors.As(e, &ve) {
			continue
		}
		if (l.File == "" || ve.File == l.File) && (l.Line == 0 || ve.Line == l.Line) && (l.Column == 0 || ve.Column == l.Column) &&
			(l.Where == "" || strings.Contains(ve.Where, l.Where)) && (l.Field == "" || ve.Field == l.Field) {
			return true
		}
	}
	return false
}
