package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/gstplan/gst"
)

// class is what an OpenStreetMap point is taken to be.
type class int

const (
	clsNone          class = iota
	clsCHU                 // university hospital
	clsRegional            // regional hospital (CHR)
	clsProvincial          // provincial or prefectoral hospital (CHP)
	clsLocal               // local or proximity hospital
	clsESSP                // public primary health-care establishment
	clsRedCrescent         // Red Crescent dispensary (not-for-profit)
	clsPrivateHosp         // private hospital
	clsPrivateClinic       // private clinic or polyclinic
	clsDialysis            // dialysis centre
	clsOncology            // public oncology centre
	clsPsychiatry          // public psychiatric or addiction centre
	clsUnnamedHosp         // a hospital point without a usable name
	clsUnnamedClinic       // a clinic point without a usable name
)

var classNames = map[class]string{
	clsNone: "none", clsCHU: "chu", clsRegional: "regional", clsProvincial: "provincial", clsLocal: "local",
	clsESSP: "health-centre", clsRedCrescent: "red-crescent", clsPrivateHosp: "private-hospital",
	clsPrivateClinic: "private-clinic", clsDialysis: "dialysis-centre", clsOncology: "oncology-centre",
	clsPsychiatry: "psychiatry", clsUnnamedHosp: "unnamed-hospital", clsUnnamedClinic: "unnamed-clinic",
}

func (c class) String() string { return classNames[c] }

// publicHospital reports whether the class is a public general hospital.
func (c class) publicHospital() bool {
	return c == clsCHU || c == clsRegional || c == clsProvincial || c == clsLocal
}

// family groups classes whose points may be duplicates of one another.
func (c class) family() string {
	switch c {
	case clsCHU, clsRegional, clsProvincial, clsLocal, clsUnnamedHosp:
		return "public-hospital"
	case clsPrivateHosp, clsPrivateClinic, clsUnnamedClinic:
		return "private"
	case clsESSP, clsRedCrescent:
		return "primary"
	}
	return c.String()
}

// Decision actions.
const (
	actKeep  = "keep"
	actMerge = "merge"
	actDrop  = "drop"
)

// osmDecision says what became of one OpenStreetMap row.
type osmDecision struct {
	F      facilityRow
	Class  class
	Level  gst.Level // for specialised centres; zero means the class default
	Beds   float64   // sourced bed count, zero when none
	Rule   string    // why
	Action string
	Into   string // key of the kept element a merged row joined
}

// override is an explicit decision about one OSM element, with its reason.
// Decisions that need public knowledge (which hospital is the regional or
// provincial one, a sourced bed count, a military hospital) live here so
// that they are listed, reviewed and documented one by one.
type override struct {
	Class class
	Level gst.Level
	Beds  float64
	Drop  bool
	Merge string // key of the element this one duplicates
	Note  string
}

// overrides are the explicit decisions, keyed by OSM element.
var overrides = map[string]override{
	// Tanger-Tétouan-Al Hoceima.
	"way/871505068":    {Class: clsCHU, Beds: 797, Note: "CHU Mohammed VI de Tanger, the region's university hospital; 797 beds [S15]"},
	"way/587335799":    {Class: clsOncology, Level: gst.RegionalHospital, Note: "regional oncology centre beside the CHU [S21]"},
	"way/122398955":    {Class: clsRegional, Note: "Centre hospitalier régional Mohammed V, Tanger [S19]"},
	"way/475665966":    {Class: clsProvincial, Note: "second general hospital of Tanger-Assilah prefecture, taken as its prefectoral hospital (decision)"},
	"way/564951388":    {Class: clsPrivateHosp, Note: "Spanish hospital of Tanger, a not-for-profit hospital outside the ministry (decision)"},
	"way/789166411":    {Class: clsPrivateHosp, Note: "Italian hospital of Tanger, outside the ministry (decision)"},
	"node/2193213076":  {Class: clsPrivateHosp, Note: "Spanish hospital of Tétouan, outside the ministry (decision)"},
	"way/484204214":    {Class: clsProvincial, Beds: 330, Note: "Centre hospitalier provincial Saniat Rmel, Tétouan; about 330 beds [S18]"},
	"way/293247182":    {Class: clsProvincial, Note: "main hospital of M'diq-Fnideq prefecture (decision)"},
	"node/12815056754": {Class: clsProvincial, Note: "Lalla Meriem hospital at Larache, the provincial seat (decision)"},
	"node/8377190516":  {Class: clsProvincial, Beds: 250, Note: "Centre hospitalier provincial Mohammed VI, Al Hoceima; 250 beds, opened 2024 [S17]"},
	"way/789174103":    {Drop: true, Note: "Mohammed V hospital of Al Hoceima: its services moved to the CHP Mohammed VI in 2024 [S17]"},
	"node/3195514325":  {Class: clsProvincial, Note: "Mohammed V hospital, Chefchaouen, the provincial seat (decision)"},
	"node/12815516503": {Class: clsProvincial, Note: "Abou El Kacem Zahraoui hospital, Ouezzane, the provincial seat (decision)"},
	// Fès-Meknès.
	"node/3899915428":  {Class: clsCHU, Beds: 880, Note: "CHU Hassan II de Fès, the region's university hospital; 880 beds [S16]"},
	"way/150786744":    {Merge: "node/3899915428", Note: "second point of the CHU Hassan II (way beside the node)"},
	"way/789182504":    {Class: clsProvincial, Beds: 398, Note: "Al Ghassani hospital, Fès: prefectoral hospital centre (CHP) of Fès; 398 beds [S16]"},
	"way/789181172":    {Class: clsProvincial, Beds: 392, Note: "Ibn Al Khatib hospital, Fès; 392 beds [S16]; provincial level for its size (decision)"},
	"way/561184067":    {Class: clsLocal, Beds: 60, Note: "Ibn Al Baytar hospital, Fès; 60 beds [S16]"},
	"way/1239114440":   {Class: clsRegional, Note: "Mohammed V hospital, Meknès: Centre hospitalier régional de Meknès [S20]"},
	"way/789245096":    {Drop: true, Note: "Moulay Ismail military hospital: the armed forces' hospitals are outside the GST (decision)"},
	"node/11510958381": {Drop: true, Note: "presumed the Moulay Ismail military hospital (same name, 600 m away) (decision)"},
	"way/1239116235":   {Drop: true, Note: "presumed the Moulay Ismail military hospital (same name, 400 m away) (decision)"},
	"way/538380905":    {Class: clsProvincial, Note: "Mohammed V hospital, Sefrou, the provincial seat (decision)"},
	"way/167453193":    {Class: clsProvincial, Note: "Taounate hospital, the provincial seat (decision)"},
	"way/249825643":    {Class: clsProvincial, Note: "Ibn Baja hospital, Taza, the provincial seat (decision)"},
	"way/789785350":    {Class: clsProvincial, Note: "unnamed hospital at Missour, the largest town of Boulemane province, taken as its provincial hospital (decision)"},
	"way/316939586":    {Class: clsProvincial, Note: "unnamed hospital at El Hajeb (tagged emergency=yes), taken as the provincial hospital (decision)"},
	"way/307775418":    {Merge: "way/316939586", Note: "second unnamed 'Hôpital' point in El Hajeb town, taken as the same hospital (decision)"},
	"node/3129815135":  {Merge: "way/316939586", Note: "third unnamed hospital point in El Hajeb town, taken as the same hospital (decision)"},
	"way/789282981":    {Merge: "way/478314146", Note: "'Hôpital Ahdav' stands 10 m from 'Polyclinique Ahadaf', Azrou: one private polyclinic (decision)"},
	"node/11242294480": {Drop: true, Note: "Ben Smim: the former sanatorium, assumed disused (decision)"},
}

// normalise lower-cases a name, strips Latin accents and turns every
// character that is not a letter or digit into a space.
func normalise(s string) string {
	repl := strings.NewReplacer("à", "a", "â", "a", "ä", "a", "á", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "í", "i", "ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u", "ü", "u", "ú", "u", "ç", "c",
		"’", " ", "'", " ")
	s = repl.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// contains reports whether the normalised name n holds any of the words
// or phrases given (matched at word starts).
func contains(n string, subs ...string) bool {
	padded := " " + n
	for _, s := range subs {
		if strings.Contains(padded, " "+s) {
			return true
		}
	}
	return false
}

// unnamed reports whether a name carries no usable identity.
func unnamed(n string) bool {
	switch n {
	case "", "unnamed facility", "hopital", "hospital", "مستشفى", "host":
		return true
	}
	return false
}

// classify applies the generic rules to one row (overrides aside). It
// returns the class, or clsNone with the reason the row is dropped.
func classify(f facilityRow) (class, string) {
	n := normalise(f.Name)
	switch {
	case f.Type == "doctor":
		return clsNone, "doctors layer: private practices, left out"
	case strings.HasPrefix(n, "projet"):
		return clsNone, "planned site, not open"
	case contains(n, "militaire", "military"):
		return clsNone, "military hospital, outside the GST"
	case contains(n, "dental", "dentaire"):
		return clsNone, "dental centre, out of scope"
	case contains(n, "radiologie", "laboratoire", "biologi", "analyses"):
		return clsNone, "diagnostic laboratory or imaging, out of scope"
	case contains(n, "cabinet", "docteur", "gynecologue"):
		return clsNone, "private practice, left out with the doctors layer"
	case contains(n, "reeducation", "readaptation"):
		return clsNone, "rehabilitation centre, out of scope"
	case contains(n, "depistage"):
		return clsESSP, "screening centre, a primary-care establishment"
	case contains(n, "oncolog", "cancer"):
		return clsOncology, "name says oncology or cancer"
	case contains(n, "dialyse", "hemodialyse", "renale"):
		return clsDialysis, "name says dialysis or kidney"
	case contains(n, "psychiatr", "addictolog"):
		return clsPsychiatry, "name says psychiatry or addiction"
	case contains(n, "croissant rouge", "croix rouge", "الهلال الأحمر"):
		return clsRedCrescent, "Red Crescent dispensary"
	case contains(n, "centre de sante", "centre sante", "dispensaire", "dispenssaire", "health center", "centre medical", "المركز الصحي"):
		return clsESSP, "name says health centre or dispensary"
	case contains(n, "universitaire", "university", "chu"):
		return clsCHU, "name says university hospital"
	case contains(n, "regional"):
		return clsRegional, "name says regional"
	case contains(n, "provincial"):
		return clsProvincial, "name says provincial"
	case contains(n, "prive", "akdital"):
		return clsPrivateHosp, "name says private hospital"
	case contains(n, "clinique", "clinic", "polyclinique", "clique", "مصحة"):
		return clsPrivateClinic, "name says clinic"
	case unnamed(n) && f.Type == "hospital":
		return clsUnnamedHosp, "hospital point without a name"
	case unnamed(n):
		return clsUnnamedClinic, "clinic point without a name"
	case f.Type == "hospital" && f.Sector == "private":
		return clsPrivateHosp, "hospital that OSM marks private (operator type)"
	case f.Type == "hospital":
		return clsLocal, "hospital of unknown status: public local hospital [A12]"
	default:
		return clsPrivateClinic, "clinic of unknown status: private [A12]"
	}
}

// stopwords are left out when names are compared.
var stopwords = map[string]bool{
	"hopital": true, "hospital": true, "centre": true, "center": true, "de": true, "du": true, "des": true, "la": true,
	"le": true, "l": true, "d": true, "sante": true, "clinique": true, "clinic": true, "polyclinique": true, "el": true,
	"al": true, "chu": true, "hospitalier": true, "universitaire": true, "university": true, "provincial": true,
	"regional": true, "urbain": true, "rural": true, "مستشفى": true, "et": true, "of": true, "c": true,
}

// weakTokens are common in hospital names and never enough on their own.
var weakTokens = map[string]bool{"mohammed": true, "hassan": true, "ibn": true, "moulay": true, "sidi": true, "lalla": true}

// nameTokens returns the distinctive words of a name.
func nameTokens(name string) []string {
	var out []string
	for _, w := range strings.Fields(normalise(name)) {
		switch w {
		case "mohamed", "mohemed", "mohammad", "mohamad":
			w = "mohammed"
		case "6":
			w = "vi"
		case "5":
			w = "v"
		}
		if !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// similarNames reports whether two names plausibly name the same place:
// the same distinctive words, or a shared distinctive word of at least
// five letters that is not a common one, or words overlapping by half.
func similarNames(a, b string) bool {
	ta, tb := nameTokens(a), nameTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	set := map[string]bool{}
	for _, t := range ta {
		set[t] = true
	}
	shared, union := 0, len(set)
	seen := map[string]bool{}
	for _, t := range tb {
		if seen[t] {
			continue
		}
		seen[t] = true
		if set[t] {
			shared++
			if len([]rune(t)) >= 5 && !weakTokens[t] {
				return true
			}
		} else {
			union++
		}
	}
	return float64(shared)/float64(union) >= 0.5
}

// Distances (km) of the deduplication rules.
const (
	dupNamedKm       = 0.3  // similar names closer than this are one place
	dupSameNameKm    = 1.0  // identical names closer than this are one place
	dupSameBuilding  = 0.03 // any two points of one family closer than this are one place
	unnamedHospJoin  = 0.7  // an unnamed hospital point joins a named public hospital this close
	unnamedClinJoin  = 0.15 // an unnamed clinic point joins any establishment this close
	specialisedJoin  = 1.0  // two centres of the same specialty this close are one
	unnamedHospMerge = 0.3  // two unnamed hospital points this close are one
)

func distKm(a, b facilityRow) float64 { return gst.GreatCircleKm(a.Lat, a.Lon, b.Lat, b.Lon) }

// priority orders representatives of a duplicate group: an explicit
// decision first, then ways (building outlines) before nodes and
// relations, then the key.
func priority(f facilityRow) int {
	if _, ok := overrides[f.Key()]; ok {
		return 0
	}
	switch f.OSMType {
	case "way":
		return 1
	case "node":
		return 2
	}
	return 3
}

// decideOSM classifies every row and resolves duplicates. The result has
// one decision per row, in the order of rows.
func decideOSM(rows []facilityRow) []osmDecision {
	ds := make([]osmDecision, len(rows))
	byKey := map[string]int{}
	for i, f := range rows {
		byKey[f.Key()] = i
		d := osmDecision{F: f}
		if f.Region == "" {
			d.Action, d.Rule = actDrop, f.Placed
			ds[i] = d
			continue
		}
		if o, ok := overrides[f.Key()]; ok {
			switch {
			case o.Drop:
				d.Action, d.Rule = actDrop, o.Note
			case o.Merge != "":
				d.Action, d.Into, d.Rule = actMerge, o.Merge, o.Note
				d.Class, _ = classify(f)
			default:
				d.Class, d.Level, d.Beds, d.Rule, d.Action = o.Class, o.Level, o.Beds, o.Note, actKeep
			}
		} else {
			c, why := classify(f)
			d.Class, d.Rule = c, why
			if c == clsNone {
				d.Action = actDrop
			}
		}
		ds[i] = d
	}

	// Named points: walk them in priority order; each joins the first
	// kept representative of its family that it duplicates, or becomes one.
	order := make([]int, 0, len(rows))
	for i, d := range ds {
		if d.Action == "" && d.Class != clsUnnamedHosp && d.Class != clsUnnamedClinic {
			order = append(order, i)
		}
	}
	for i, d := range ds {
		if d.Action == actKeep {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		pa, pb := priority(rows[order[a]]), priority(rows[order[b]])
		if pa != pb {
			return pa < pb
		}
		return rows[order[a]].Key() < rows[order[b]].Key()
	})
	var reps []int
	for _, i := range order {
		if ds[i].Action == actKeep && containsInt(reps, i) {
			continue
		}
		joined := false
		if ds[i].Action != actKeep {
			for _, r := range reps {
				if dup, why := duplicates(ds[r], ds[i]); dup {
					ds[i].Action, ds[i].Into = actMerge, rows[r].Key()
					ds[i].Rule += "; " + why
					joined = true
					break
				}
			}
		}
		if !joined {
			ds[i].Action = actKeep
			reps = append(reps, i)
		}
	}

	// Unnamed points, in key order.
	var unnamedIdx []int
	for i, d := range ds {
		if d.Action == "" {
			unnamedIdx = append(unnamedIdx, i)
		}
	}
	for _, i := range unnamedIdx {
		d := &ds[i]
		best, bestKm := -1, math.Inf(1)
		for _, r := range reps {
			rd := ds[r]
			km := distKm(rd.F, d.F)
			ok := false
			switch {
			case km <= dupSameBuilding:
				ok = true // the same building, whatever the other point is
			case d.Class == clsUnnamedHosp:
				ok = (rd.Class.publicHospital() && km <= unnamedHospJoin) || (rd.Class == clsUnnamedHosp && km <= unnamedHospMerge)
			case d.Class == clsUnnamedClinic:
				ok = km <= unnamedClinJoin
			}
			if ok && (km < bestKm || (km == bestKm && rows[r].Key() < rows[best].Key())) {
				best, bestKm = r, km
			}
		}
		switch {
		case best >= 0:
			d.Action, d.Into = actMerge, rows[best].Key()
			d.Rule += fmt.Sprintf("; joins %s %.0f m away", rows[best].Key(), bestKm*1000)
		case d.Class == clsUnnamedHosp:
			d.Action = actKeep
			d.Rule += "; no named hospital within 700 m: kept as a public local hospital [A12]"
			reps = append(reps, i)
		default:
			d.Action = actDrop
			d.Rule += "; no establishment within 150 m: type and owner unknown, left out"
		}
	}
	// A merge into a row that itself merged follows the chain.
	for i := range ds {
		for hops := 0; ds[i].Action == actMerge && hops < 10; hops++ {
			j, ok := byKey[ds[i].Into]
			if !ok || ds[j].Action != actMerge {
				break
			}
			ds[i].Into = ds[j].Into
		}
	}
	return ds
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// duplicates reports whether candidate c is a duplicate of representative
// r, and why.
func duplicates(r, c osmDecision) (bool, string) {
	fr, fc := r.Class.family(), c.Class.family()
	if fr != fc {
		return false, ""
	}
	km := distKm(r.F, c.F)
	nr, nc := normalise(r.F.Name), normalise(c.F.Name)
	switch {
	case km <= dupSameBuilding:
		return true, fmt.Sprintf("duplicate of %s (%.0f m away)", r.F.Key(), km*1000)
	case nr == nc && km <= dupSameNameKm:
		return true, fmt.Sprintf("duplicate of %s (same name, %.0f m away)", r.F.Key(), km*1000)
	case km <= dupNamedKm && similarNames(r.F.Name, c.F.Name):
		return true, fmt.Sprintf("duplicate of %s (similar name, %.0f m away)", r.F.Key(), km*1000)
	case (r.Class == clsPsychiatry || r.Class == clsOncology || r.Class == clsDialysis) && r.Class == c.Class && km <= specialisedJoin:
		return true, fmt.Sprintf("duplicate of %s (same specialty, %.0f m away)", r.F.Key(), km*1000)
	}
	return false, ""
}
