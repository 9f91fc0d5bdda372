package capacity

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gstplan/gst"
)

// handTable: indicator "a" (higher is worse) 1, 2, 3 and "b" (lower is
// worse) 30, 10, 20, all weights 1. By hand: a has mean 2 and sd √(2/3),
// so z = −√1.5, 0, √1.5; b has mean 20 and sd √(200/3), so z (negated) =
// −√1.5, √1.5, 0. The means of the two: −√1.5, √1.5/2, √1.5/2.
func handTable() *IndicatorTable {
	return &IndicatorTable{
		Indicators: []Indicator{{Name: "a"}, {Name: "b", Direction: LowerIsWorse}},
		Rows: []IndicatorRow{
			{Area: "x1", Weight: 1, Values: []float64{1, 30}},
			{Area: "x2", Weight: 1, Values: []float64{2, 10}},
			{Area: "x3", Weight: 1, Values: []float64{3, 20}},
		},
	}
}

func TestDeprivationByHand(t *testing.T) {
	res, err := Deprivation(handTable(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := math.Sqrt(1.5)
	want := []AreaScore{{"x1", -s, 2}, {"x2", s / 2, 2}, {"x3", s / 2, 2}}
	if diff := cmp.Diff(want, res.Scores, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}
	if got := res.Indicators[1]; math.Abs(got.Mean-20) > 1e-12 || math.Abs(got.SD-math.Sqrt(200.0/3)) > 1e-12 || got.Weight != 0.5 {
		t.Errorf("indicator b stats = %+v", got)
	}
}

func TestDeprivationWeighted(t *testing.T) {
	tb := handTable()
	tb.Indicators = tb.Indicators[:1]
	for i := range tb.Rows {
		tb.Rows[i].Values = tb.Rows[i].Values[:1]
	}
	tb.Rows[2].Weight = 2
	res, err := Deprivation(tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: mean (1 + 2 + 2×3) / 4 = 2.25, variance (1.5625 + 0.0625 +
	// 2×0.5625) / 4 = 0.6875, so x3 scores 0.75 / √0.6875.
	if got, want := res.Scores[2].Score, 0.75/math.Sqrt(0.6875); math.Abs(got-want) > 1e-12 {
		t.Errorf("x3 = %v, want %v", got, want)
	}
}

func TestDeprivationPrincipalComponent(t *testing.T) {
	tb := handTable()
	// b twice a, so perfectly correlated: loadings 1/√2 each, all the
	// variance on the first component, and x3 scores √2 × √1.5 = √3.
	tb.Indicators[1].Direction = HigherIsWorse
	for i := range tb.Rows {
		tb.Rows[i].Values[1] = 2 * tb.Rows[i].Values[0]
	}
	res, err := Deprivation(tb, &DeprivationOptions{Method: FirstPrincipalComponent})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Explained-1) > 1e-9 || math.Abs(res.Indicators[0].Weight-math.Sqrt(0.5)) > 1e-9 || math.Abs(res.Indicators[1].Weight-math.Sqrt(0.5)) > 1e-9 {
		t.Errorf("explained %v, loadings %v %v", res.Explained, res.Indicators[0].Weight, res.Indicators[1].Weight)
	}
	if got := res.Scores[2].Score; math.Abs(got-math.Sqrt(3)) > 1e-9 {
		t.Errorf("x3 = %v, want √3", got)
	}
}

func TestDeprivationMissing(t *testing.T) {
	tb := handTable()
	tb.Rows = append(tb.Rows, IndicatorRow{Area: "x4", Weight: 5, Values: []float64{math.NaN(), math.NaN()}},
		IndicatorRow{Area: "x0", Weight: 1, Values: []float64{2, math.NaN()}})
	res, err := Deprivation(tb, &DeprivationOptions{MinIndicators: 1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]gst.AreaID{"x4"}, res.Unscored); diff != "" {
		t.Errorf("unscored (-want +got):\n%s", diff)
	}
	// x0 has a = 2, the mean of a over the four rows that have it: z = 0.
	if s, ok := res.Score("x0"); !ok || math.Abs(s) > 1e-12 || res.Scores[0].Indicators != 1 {
		t.Errorf("x0 = %v, %v, %+v", s, ok, res.Scores[0])
	}
	// By default every indicator is needed.
	res, err = Deprivation(tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]gst.AreaID{"x0", "x4"}, res.Unscored); diff != "" {
		t.Errorf("unscored by default (-want +got):\n%s", diff)
	}
}

func TestDeprivationShuffled(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tb := &IndicatorTable{Indicators: []Indicator{{Name: "a"}, {Name: "b"}, {Name: "c", Direction: LowerIsWorse}}}
	for i := 0; i < 200; i++ {
		tb.Rows = append(tb.Rows, IndicatorRow{Area: gst.AreaID(fmt.Sprintf("r%03d", i)), Weight: 1 + rng.Float64()*1e4,
			Values: []float64{rng.Float64() * 100, rng.NormFloat64(), rng.Float64()}})
	}
	for _, m := range []DeprivationMethod{StandardisedSum, FirstPrincipalComponent} {
		want, err := Deprivation(tb, &DeprivationOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		sh := &IndicatorTable{Indicators: tb.Indicators, Rows: append([]IndicatorRow(nil), tb.Rows...)}
		rng.Shuffle(len(sh.Rows), func(i, j int) { sh.Rows[i], sh.Rows[j] = sh.Rows[j], sh.Rows[i] })
		got, err := Deprivation(sh, &DeprivationOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v: shuffled rows changed the result (-want +got):\n%s", m, diff)
		}
	}
}

func TestDeprivationInvalid(t *testing.T) {
	tb := &IndicatorTable{
		Indicators: []Indicator{{Name: "a"}, {Name: "a"}, {Name: "", Direction: 7}},
		Rows: []IndicatorRow{
			{Area: "x", Weight: 0, Values: []float64{1, 2, 3}},
			{Area: "x", Weight: 1, Values: []float64{1, math.Inf(1), 3}},
			{Area: "", Weight: math.NaN(), Values: []float64{1}},
		},
	}
	_, err := Deprivation(tb, &DeprivationOptions{MinIndicators: 9})
	if !errors.Is(err, gst.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`indicator #2: name: "a" given twice`, "indicator #3: name: must not be empty", "indicator #3: direction: invalid direction 7",
		"min_indicators: must be in [0, 3], got 9", `row #1 (area "x"): weight: must be a finite number > 0`, `row #2 (area "x"): area: given twice`,
		"values: a is +Inf", `row #3 (area ""): area: must not be empty`, "has 1 values for 3 indicators"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := Deprivation(nil, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("nil table: %v", err)
	}
	one := handTable()
	one.Rows = one.Rows[:1]
	if _, err := Deprivation(one, nil); !errors.Is(err, gst.ErrInvalid) {
		t.Errorf("one row: %v", err)
	}
}

// A deprivation index from three communes' census indicators: the share
// of households without running water (higher is worse) and with
// electricity (lower is worse), weighted by population.
func ExampleDeprivation() {
	t := &IndicatorTable{
		Indicators: []Indicator{{Name: "no-running-water"}, {Name: "electricity", Direction: LowerIsWorse}},
		Rows: []IndicatorRow{
			{Area: "city", Weight: 900000, Values: []float64{2, 99.5}},
			{Area: "plain", Weight: 30000, Values: []float64{25, 96}},
			{Area: "mountain", Weight: 12000, Values: []float64{70, 88}},
		},
	}
	res, err := Deprivation(t, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Scores {
		fmt.Printf("%-8s %5.2f\n", s.Area, s.Score)
	}
	// Output:
	// city     -0.18
	// mountain  7.85
	// plain     2.39
}
