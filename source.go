package gst

// The files of a region directory.
const (
	fileRegion         = "region.csv"
	fileProvinces      = "provinces.csv"
	fileAreas          = "areas.csv"
	fileSegments       = "segments.csv"
	fileEstablishments = "establishments.csv"
	fileOffers         = "offers.csv"
	fileStaff          = "staff.csv"
	fileServices       = "services.csv"
	fileCategories     = "categories.csv"
	fileTravel         = "travel.csv"
)

// sourceMap remembers where each record of a region read from files came
// from, so that Validate can name the file, line and column of a problem.
type sourceMap struct {
	dir     string
	lens    [5]int
	columns map[string]map[string]int // file → header → column (1-based)
	lines   map[string][]int          // file → line of each top-level record
	nested  map[string][][]int        // file → parent index → line of each child
	pairs   map[Pair]int              // travel.csv: line of each pair
}

func newSourceMap(dir string) *sourceMap {
	return &sourceMap{dir: dir, columns: map[string]map[string]int{}, lines: map[string][]int{}, nested: map[string][][]int{}}
}

func (s *sourceMap) matches(r *Region) bool {
	lens, _ := r.fingerprint()
	return s.lens == lens
}

func (s *sourceMap) path(file string) string {
	if s.dir == "" || s.dir == "." {
		return file
	}
	return s.dir + "/" + file
}

func (s *sourceMap) locate(file string, line int) func(field string) (string, int, int) {
	if line <= 0 {
		return nil
	}
	return func(field string) (string, int, int) {
		return s.path(file), line, s.columns[file][field]
	}
}

func (s *sourceMap) locator(file string, i int) func(field string) (string, int, int) {
	if s == nil {
		return nil
	}
	ls := s.lines[file]
	if i < 0 || i >= len(ls) {
		return nil
	}
	return s.locate(file, ls[i])
}

func (s *sourceMap) nestedLocator(file string, parent, j int) func(field string) (string, int, int) {
	if s == nil {
		return nil
	}
	ns := s.nested[file]
	if parent < 0 || parent >= len(ns) || j < 0 || j >= len(ns[parent]) {
		return nil
	}
	return s.locate(file, ns[parent][j])
}
