package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/gstplan/gst"
	"github.com/gstplan/gst/capacity"
)

// indicatorKey names a row of the household indicators: a unit code and
// an area ("total", "urban" or "rural").
type indicatorKey struct{ Code, Area string }

// indicatorRow holds the columns of one row the index uses, NaN where HCP
// gives none.
type indicatorRow struct {
	Population float64 // municipal population
	Values     []float64
}

// deprivationIndicators are the census indicators of the deprivation
// index, each a share of households in percent except crowding, all
// higher-is-worse once turned: the living-standard deprivations of the
// global Multidimensional Poverty Index (Alkire and Santos, World
// Development 59:251–274, 2014: drinking water, electricity, sanitation,
// housing, cooking fuel) that HCP publishes per commune, with waste left in
// the open for the local environment and people per room for crowding
// (Townsend's overcrowding). The distance to a paved road is left out: it
// measures remoteness, which the travel model already counts, and would
// make equity results partly circular; it is also blank in urban rows.
var deprivationIndicators = []struct {
	Name, Column string
	Complement   bool // the column is a share with the amenity: use 100 − value
}{
	{"no-running-water", "amenities_running_water", true},
	{"no-electricity", "amenities_electricity", true},
	{"no-toilet", "amenities_toilet", true},
	{"basic-or-slum-dwelling", "dwelling_type_basic_or_slum", false},
	{"waste-in-the-open", "household_waste_in_the_open", false},
	{"cooking-with-firewood", "cooking_fuel_firewood", false},
	{"people-per-room", "households_people_per_room", false},
}

// parseIndicators reads the commune and province rows of the household
// indicators.
func parseIndicators(data []byte, p *gst.Problems) map[indicatorKey]indicatorRow {
	cols := []string{"code", "level", "area", "households_municipal_population"}
	for _, d := range deprivationIndicators {
		cols = append(cols, d.Column)
	}
	t := parseTable(fileIndicators, "unit", "code", data, cols, p)
	if t == nil {
		return nil
	}
	out := map[indicatorKey]indicatorRow{}
	for i := range t.rows {
		lvl := t.cell(i, "level")
		if lvl != "commune" && lvl != "province" {
			continue
		}
		k := indicatorKey{t.cell(i, "code"), t.cell(i, "area")}
		row := indicatorRow{Population: t.num(i, "households_municipal_population", p)}
		for _, d := range deprivationIndicators {
			v := t.optNum(i, d.Column, p)
			if d.Complement {
				v = 100 - v
			}
			row.Values = append(row.Values, v)
		}
		if _, dup := out[k]; dup {
			t.bad(i, "code", fmt.Errorf("unit %s (%s) given twice", k.Code, k.Area), p)
		}
		out[k] = row
	}
	return out
}

// deprivationResult is the index of every commune of the country.
type deprivationResult struct {
	Scores map[string]float64
	// Borrowed lists the communes without indicators of their own and the
	// province row they took.
	Borrowed []string
	Index    *capacity.DeprivationResult
}

// deprivationIndex computes the deprivation index of every commune of the
// country at once (so that scores compare across regions) with the
// capacity package's standardised sum, weighted by the municipal
// population. A commune whose row has no values takes the row of its
// province for its setting (urban or rural). Scores are rounded to three
// decimals.
func deprivationIndex(in *input) (*deprivationResult, error) {
	t := &capacity.IndicatorTable{}
	for _, d := range deprivationIndicators {
		t.Indicators = append(t.Indicators, capacity.Indicator{Name: d.Name})
	}
	res := &deprivationResult{Scores: map[string]float64{}}
	for _, c := range in.Communes {
		row, ok := in.Indicators[indicatorKey{c.Code, "total"}]
		if !ok {
			return nil, fmt.Errorf("%w: commune %s (%s) has no row in %s", gst.ErrInvalid, c.Code, c.Name, fileIndicators)
		}
		if allNaN(row.Values) {
			setting := "rural"
			if c.Urban {
				setting = "urban"
			}
			prov, ok := in.Indicators[indicatorKey{c.Province, setting}]
			if !ok || allNaN(prov.Values) {
				return nil, fmt.Errorf("%w: commune %s has no indicators, nor its province %s (%s)", gst.ErrInvalid, c.Code, c.Province, setting)
			}
			row = indicatorRow{Population: row.Population, Values: prov.Values}
			res.Borrowed = append(res.Borrowed, fmt.Sprintf("%s (%s): the %s row of province %s", c.Name, c.Code, setting, c.Province))
		}
		w := row.Population
		if !(w > 0) {
			w = c.Pop2024
		}
		t.Rows = append(t.Rows, capacity.IndicatorRow{Area: gst.AreaID(c.Code), Weight: w, Values: row.Values})
	}
	idx, err := capacity.Deprivation(t, nil)
	if err != nil {
		return nil, err
	}
	if len(idx.Unscored) > 0 {
		return nil, fmt.Errorf("%w: communes without every indicator: %s", gst.ErrInvalid, strings.Join(areaStrings(idx.Unscored), ", "))
	}
	res.Index = idx
	for _, s := range idx.Scores {
		res.Scores[string(s.Area)] = math.Round(s.Score*1000) / 1000
	}
	return res, nil
}

func allNaN(vs []float64) bool {
	for _, v := range vs {
		if !math.IsNaN(v) {
			return false
		}
	}
	return true
}

func areaStrings(ids []gst.AreaID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
