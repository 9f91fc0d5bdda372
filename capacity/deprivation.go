package capacity

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/gstplan/gst"
	"gonum.org/v1/gonum/mat"
)

// Direction says which way deprivation runs along an indicator.
type Direction int

const (
	// HigherIsWorse marks an indicator whose higher values mean more
	// deprivation (a share of households without running water, people
	// per room).
	HigherIsWorse Direction = iota
	// LowerIsWorse marks an indicator whose lower values mean more
	// deprivation (a share of households with electricity).
	LowerIsWorse
)

// Indicator is one column of an IndicatorTable.
type Indicator struct {
	// Name identifies the indicator, for example "no-running-water".
	Name string `json:"name"`
	// Direction says whether higher values are worse (the default) or
	// better.
	Direction Direction `json:"direction"`
}

// IndicatorRow holds the indicators of one area.
type IndicatorRow struct {
	Area gst.AreaID `json:"area"`
	// Weight is the population (or the households) the row stands for:
	// it weighs the row in the means and spreads that standardise each
	// indicator, so that a small commune counts for its people, not for
	// one vote. Must be finite and > 0.
	Weight float64 `json:"weight"`
	// Values holds one value per indicator, in the order of the table's
	// Indicators, in any unit (shares, counts, ratios); NaN when missing.
	Values []float64 `json:"values"`
}

// IndicatorTable is a table of area indicators, one row per area.
type IndicatorTable struct {
	Indicators []Indicator    `json:"indicators"`
	Rows       []IndicatorRow `json:"rows"`
}

// DeprivationMethod says how Deprivation combines the indicators.
type DeprivationMethod int

const (
	// StandardisedSum averages the standardised indicators with equal
	// weights: the method of the Townsend and Carstairs indices (Townsend,
	// Phillimore and Beattie, Health and Deprivation: Inequality and the
	// North, Croom Helm, 1988; Carstairs and Morris, Deprivation and
	// Health in Scotland, Aberdeen University Press, 1991), which add
	// z-scores of census indicators. The default.
	StandardisedSum DeprivationMethod = iota
	// FirstPrincipalComponent weighs the standardised indicators by the
	// first principal component of their weighted correlation matrix
	// (Vyas and Kumaranayake, Constructing socio-economic status indices:
	// how to use principal components analysis, Health Policy and
	// Planning 21(6):459–468, 2006), oriented so that the weights sum to
	// a positive number (higher still means more deprived).
	FirstPrincipalComponent
)

var methodNames = [...]string{StandardisedSum: "standardised sum", FirstPrincipalComponent: "first principal component"}

// String returns "standardised sum" or "first principal component".
func (m DeprivationMethod) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("DeprivationMethod(%d)", int(m))
}

// MarshalText encodes the method as its String form.
func (m DeprivationMethod) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// DeprivationOptions tune Deprivation. A nil *DeprivationOptions uses the
// defaults.
type DeprivationOptions struct {
	// Method combines the indicators. Default StandardisedSum.
	Method DeprivationMethod
	// MinIndicators is the fewest indicators a row needs to be scored;
	// rows with fewer are listed in Unscored. Default: every indicator.
	MinIndicators int
}

// IndicatorStats describe how one indicator entered the index.
type IndicatorStats struct {
	Name string `json:"name"`
	// Mean and SD are the weighted mean and standard deviation used to
	// standardise the indicator (z = (value − Mean) / SD, negated when
	// lower is worse); Rows counts the rows that have it.
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Rows int     `json:"rows"`
	// Weight is the indicator's weight in the score: 1 / (indicators the
	// row has) for StandardisedSum (shown for a complete row), the
	// component's loading for FirstPrincipalComponent.
	Weight float64 `json:"weight"`
}

// AreaScore is the deprivation score of one area.
type AreaScore struct {
	Area gst.AreaID `json:"area"`
	// Score is higher for more deprived areas, in standard deviations of
	// the table's (weighted) areas: 0 is the weighted average.
	Score float64 `json:"score"`
	// Indicators counts the indicators the score is based on.
	Indicators int `json:"indicators"`
}

// DeprivationResult is a composite deprivation index.
type DeprivationResult struct {
	Method     DeprivationMethod `json:"method"`
	Indicators []IndicatorStats  `json:"indicators"`
	// Scores are sorted by area ID.
	Scores []AreaScore `json:"scores"`
	// Unscored lists, sorted, the areas with fewer than MinIndicators
	// values.
	Unscored []gst.AreaID `json:"unscored,omitempty"`
	// Explained is the share of the standardised indicators' total
	// variance the first principal component carries
	// (FirstPrincipalComponent only).
	Explained float64 `json:"explained,omitempty"`
}

// Score returns the score of an area and whether it has one.
func (d *DeprivationResult) Score(id gst.AreaID) (float64, bool) {
	i := sort.Search(len(d.Scores), func(i int) bool { return d.Scores[i].Area >= id })
	if i < len(d.Scores) && d.Scores[i].Area == id {
		return d.Scores[i].Score, true
	}
	return 0, false
}

// Deprivation computes a composite deprivation index from a table of area
// indicators, higher meaning more deprived.
//
// Each indicator is standardised over the rows that have it, with the
// rows' weights: z = (x − mean) / sd, negated for LowerIsWorse, so that
// every z grows with deprivation; an indicator with no spread (sd = 0)
// gives z = 0. StandardisedSum scores a row by the mean of its z-scores
// (the Townsend sum divided by the number of indicators, so that rows
// missing one are comparable); FirstPrincipalComponent by the loadings of
// the first principal component of the weighted correlation matrix, a
// missing z counting as 0 (the mean). Rows with fewer than MinIndicators
// values get no score.
//
// The index ranks areas relative to the table: compute it once over every
// area to be compared (for example all the communes of the country) and
// read each region's areas from the result. Put in it what describes the
// people's living conditions, not their access to care, or equity results
// measured in travel time become circular.
//
// Invalid input (no indicators, empty or repeated names or areas, a
// weight that is not a finite positive number, a row with the wrong
// number of values, an infinite value, fewer than two scored rows) is
// reported at once, as errors wrapping gst.ErrInvalid. The result does
// not depend on the order of the rows: they are sorted by area first.
func Deprivation(t *IndicatorTable, opt *DeprivationOptions) (*DeprivationResult, error) {
	if opt == nil {
		opt = &DeprivationOptions{}
	}
	rows, err := checkIndicators(t, opt)
	if err != nil {
		return nil, err
	}
	k := len(t.Indicators)
	min := opt.MinIndicators
	if min == 0 {
		min = k
	}
	res := &DeprivationResult{Method: opt.Method}
	var scored []IndicatorRow
	for _, r := range rows {
		if countValues(r.Values) >= min {
			scored = append(scored, r)
		} else {
			res.Unscored = append(res.Unscored, r.Area)
		}
	}
	if len(scored) < 2 {
		return nil, fmt.Errorf("%w: deprivation: %d rows have at least %d of the %d indicators; at least two are needed to standardise", gst.ErrInvalid, len(scored), min, k)
	}
	z, stats := standardise(t.Indicators, scored)
	res.Indicators = stats
	weights := make([]float64, k)
	switch opt.Method {
	case FirstPrincipalComponent:
		load, explained, err := firstComponent(z, scored)
		if err != nil {
			return nil, err
		}
		weights, res.Explained = load, explained
	default:
		for j := range weights {
			weights[j] = 1 / float64(k)
		}
	}
	for j := range stats {
		res.Indicators[j].Weight = weights[j]
	}
	for i, r := range scored {
		n, s := 0, 0.0
		for j, v := range z[i] {
			if math.IsNaN(v) {
				continue
			}
			n++
			if opt.Method == FirstPrincipalComponent {
				s += weights[j] * v
			} else {
				s += v
			}
		}
		if opt.Method != FirstPrincipalComponent {
			s /= float64(n)
		}
		res.Scores = append(res.Scores, AreaScore{Area: r.Area, Score: s, Indicators: n})
	}
	return res, nil
}

// checkIndicators validates the table and returns its rows sorted by area.
func checkIndicators(t *IndicatorTable, opt *DeprivationOptions) ([]IndicatorRow, error) {
	var p gst.Problems
	if t == nil {
		return nil, fmt.Errorf("%w: deprivation: indicator table is nil", gst.ErrInvalid)
	}
	k := len(t.Indicators)
	if k == 0 {
		p.Add("indicator table", "indicators", errors.New("needs at least one indicator"))
	}
	names := map[string]bool{}
	for i, ind := range t.Indicators {
		w := fmt.Sprintf("indicator #%d", i+1)
		switch {
		case strings.TrimSpace(ind.Name) == "":
			p.Add(w, "name", errors.New("must not be empty"))
		case names[ind.Name]:
			p.Addf(w, "name", "%q given twice", ind.Name)
		}
		names[ind.Name] = true
		if ind.Direction != HigherIsWorse && ind.Direction != LowerIsWorse {
			p.Addf(w, "direction", "invalid direction %d", int(ind.Direction))
		}
	}
	if opt.Method != StandardisedSum && opt.Method != FirstPrincipalComponent {
		p.Addf("deprivation options", "method", "invalid method %d", int(opt.Method))
	}
	if opt.MinIndicators < 0 || opt.MinIndicators > k {
		p.Addf("deprivation options", "min_indicators", "must be in [0, %d], got %d", k, opt.MinIndicators)
	}
	areas := map[gst.AreaID]bool{}
	for i, r := range t.Rows {
		w := fmt.Sprintf("indicator row #%d (area %q)", i+1, r.Area)
		if strings.TrimSpace(string(r.Area)) == "" {
			p.Add(w, "area", errors.New("must not be empty"))
		} else if areas[r.Area] {
			p.Add(w, "area", errors.New("given twice"))
		}
		areas[r.Area] = true
		p.CheckPositive(w, "weight", r.Weight)
		if len(r.Values) != k {
			p.Addf(w, "values", "has %d values for %d indicators", len(r.Values), k)
			continue
		}
		for j, v := range r.Values {
			if math.IsInf(v, 0) {
				p.Addf(w, "values", "%s is %v: want a finite number, or NaN when missing", t.Indicators[j].Name, v)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	rows := append([]IndicatorRow(nil), t.Rows...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].Area < rows[j].Area })
	return rows, nil
}

func countValues(vs []float64) int {
	n := 0
	for _, v := range vs {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// standardise returns the z-scores of every row (NaN where the value is
// missing), oriented so that higher is worse, and the statistics used.
func standardise(inds []Indicator, rows []IndicatorRow) ([][]float64, []IndicatorStats) {
	k := len(inds)
	stats := make([]IndicatorStats, k)
	z := make([][]float64, len(rows))
	for i := range z {
		z[i] = make([]float64, k)
	}
	for j, ind := range inds {
		var sw, sx float64
		n := 0
		for _, r := range rows {
			if v := r.Values[j]; !math.IsNaN(v) {
				sw += r.Weight
				sx += r.Weight * v
				n++
			}
		}
		st := IndicatorStats{Name: ind.Name, Rows: n}
		if sw > 0 {
			st.Mean = sx / sw
			var ss float64
			for _, r := range rows {
				if v := r.Values[j]; !math.IsNaN(v) {
					ss += r.Weight * (v - st.Mean) * (v - st.Mean)
				}
			}
			st.SD = math.Sqrt(ss / sw)
		}
		stats[j] = st
		for i, r := range rows {
			v := r.Values[j]
			switch {
			case math.IsNaN(v):
				z[i][j] = math.NaN()
			case st.SD == 0:
				z[i][j] = 0
			default:
				z[i][j] = (v - st.Mean) / st.SD
				if ind.Direction == LowerIsWorse {
					z[i][j] = -z[i][j]
				}
			}
		}
	}
	return z, stats
}

// firstComponent returns the loadings of the first principal component of
// the weighted correlation matrix of z (missing values count as 0), with
// their sum made positive, and the share of variance it explains.
func firstComponent(z [][]float64, rows []IndicatorRow) ([]float64, float64, error) {
	k := len(z[0])
	cov := mat.NewSymDense(k, nil)
	var sw float64
	for _, r := range rows {
		sw += r.Weight
	}
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			var s float64
			for i, r := range rows {
				s += r.Weight * zero(z[i][a]) * zero(z[i][b])
			}
			cov.SetSym(a, b, s/sw)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return nil, 0, fmt.Errorf("%w: deprivation: the eigen decomposition of the indicators' correlation matrix failed", gst.ErrNoSolution)
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	top, total := 0, 0.0
	for i, v := range vals {
		total += v
		if v > vals[top] {
			top = i
		}
	}
	load := make([]float64, k)
	var sum float64
	for j := range load {
		load[j] = vecs.At(j, top)
		sum += load[j]
	}
	if sum < 0 {
		for j := range load {
			load[j] = -load[j]
		}
	}
	explained := 0.0
	if total > 0 {
		explained = vals[top] / total
	}
	return load, explained, nil
}

func zero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}
