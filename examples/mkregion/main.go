package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gstplan/gst"
)

//go:generate go run . -in ../../../shared/data/morocco -out ../data

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkregion:", err)
		os.Exit(1)
	}
}

// regionFiles are the files of a region directory the builder may write;
// stale ones are removed so that a rebuilt directory holds exactly what
// the region needs.
var regionFiles = []string{"region.csv", "provinces.csv", "areas.csv", "areas.geojson", "segments.csv", "establishments.csv",
	"offers.csv", "staff.csv", "services.csv", "categories.csv", "travel.csv"}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("mkregion", flag.ContinueOnError)
	fs.SetOutput(w)
	in := fs.String("in", filepath.Join("..", "shared", "data", "morocco"), "input directory (census and OpenStreetMap extracts)")
	out := fs.String("out", filepath.Join("examples", "data"), "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	files, figs, err := generate(*in)
	if err != nil {
		return err
	}
	if err := writeFiles(*out, files); err != nil {
		return err
	}
	for _, f := range figs {
		fmt.Fprintf(w, "%s (%s): %s people in %d communes, %d establishments (%d candidates), %s beds, %s staff FTE -> %s\n",
			f.Name, f.Code, itoa(f.Population), f.Areas, f.Public+f.Private+len(f.Candidates), len(f.Candidates),
			itoa(f.Beds), itoa(sumStaff(f)), filepath.Join(*out, f.Dir))
	}
	return nil
}

func sumStaff(f *figures) float64 {
	var t float64
	for _, s := range f.Staff {
		t += s.FTE
	}
	return t
}

// generate reads the input directory and returns every output file, keyed
// by its path relative to the output directory, and the figures of each
// region. The output depends on the input only.
func generate(inDir string) (map[string][]byte, []*figures, error) {
	in, err := readInput(inDir)
	if err != nil {
		return nil, nil, err
	}
	return generateFrom(in)
}

// generateFrom builds the outputs from parsed input.
func generateFrom(in *input) (map[string][]byte, []*figures, error) {
	ds := decideOSM(in.Facilities)
	dep, err := deprivationIndex(in)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{}
	var figs []*figures
	for _, reg := range in.Regions {
		code := reg.Code
		if regionDirs[code] == "" {
			return nil, nil, fmt.Errorf("%w: region %s (%s) has no output directory name", gst.ErrInvalid, code, reg.Name)
		}
		r, fig, err := build(in, ds, dep, code)
		if err != nil {
			return nil, nil, err
		}
		enc, err := gst.EncodeCSV(r)
		if err != nil {
			return nil, nil, err
		}
		for name, b := range enc {
			files[filepath.Join(regionDirs[code], name)] = b
		}
		figs = append(figs, fig)
	}
	dec, err := decisionsCSV(ds, in)
	if err != nil {
		return nil, nil, err
	}
	files["osm-decisions.csv"] = dec
	readme, err := renderREADME(figs, ds, dep, in)
	if err != nil {
		return nil, nil, err
	}
	files["README.md"] = readme
	files["regions.csv"] = manifest(figs)
	return files, figs, nil
}

// decisionsCSV lists what became of every OpenStreetMap row.
func decisionsCSV(ds []osmDecision, in *input) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"osm_element", "name", "facility_type", "region", "province", "decision", "class", "establishment", "rule"})
	for _, d := range ds {
		id := ""
		switch d.Action {
		case actKeep:
			id = "osm-" + strings.Replace(d.F.Key(), "/", "-", 1)
		case actMerge:
			id = "osm-" + strings.Replace(d.Into, "/", "-", 1)
		}
		cls := d.Class.String()
		if d.Action == actDrop {
			cls = ""
		}
		_ = w.Write([]string{d.F.Key(), d.F.Name, d.F.Type, d.F.Region, d.F.Province, d.Action, cls, id, d.Rule})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// writeFiles writes the outputs under dir and removes region files that
// the new output does not contain.
func writeFiles(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, sub := range regionDirs {
		for _, f := range regionFiles {
			rel := filepath.Join(sub, f)
			if _, ok := files[rel]; !ok {
				if err := os.Remove(filepath.Join(dir, rel)); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
		}
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// manifest lists the region directories: regions.csv of the output.
func manifest(figs []*figures) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"code", "name", "dir", "population", "communes", "boundaries"})
	for _, f := range figs {
		_ = w.Write([]string{f.Code, f.Name, f.Dir, strconv.FormatFloat(f.Population, 'f', -1, 64), strconv.Itoa(f.Areas), strconv.FormatBool(f.Outlines)})
	}
	w.Flush()
	return b.Bytes()
}
