package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/gstplan/gst"
	mdreport "github.com/gstplan/gst/examples/internal/report"
	"github.com/gstplan/gst/examples/internal/scenario"
)

// block is one part of a report: a heading, a paragraph, a list or a
// table. The Markdown and HTML reports are written from the same blocks.
type block struct {
	Kind  string // "h", "p", "ul" or "table"
	Level int
	Text  string
	Items []string
	Head  []string
	Align string
	Rows  [][]string
}

// num writes a number of a figure for a report.
func num(v *float64, unit string) string {
	if v == nil {
		return "–"
	}
	switch unit {
	case "unit.share":
		return mdreport.Pct(*v, 1)
	case "unit.fte", "unit.weighted_fte":
		return mdreport.Dec(*v, 1)
	case "unit.minutes":
		return mdreport.Dec(*v, 1)
	}
	if math.Abs(*v) < 100 && *v != math.Round(*v) {
		return mdreport.Dec(*v, 2)
	}
	return mdreport.Int(*v)
}

// reportBlocks writes an answer as the blocks of a report in a language.
func reportBlocks(a *answer, sc *scenario.Scenario, r *gst.Region, lg string) []block {
	t := func(k string) string { return tr(lg, k) }
	var bs []block
	add := func(b block) { bs = append(bs, b) }
	add(block{Kind: "h", Level: 1, Text: a.Title[lg]})
	add(block{Kind: "p", Text: fmt.Sprintf("%s: %s, %d communes, %s %s%s. %s", t("rep.region"), scenario.OrID(r.Name, a.Region), len(r.Areas), mdreport.Int(a.Population), t("rep.people"), yearText(a.Year), t("rep.computed"))})
	add(block{Kind: "p", Text: t("rep.question") + ": " + a.Ask[lg]})
	if len(a.Warnings) > 0 {
		add(block{Kind: "p", Text: fmt.Sprintf(t("rep.warnings"), len(a.Warnings))})
		add(block{Kind: "ul", Items: a.Warnings})
	}
	add(block{Kind: "h", Level: 2, Text: t("ans.figures")})
	var rows [][]string
	for _, f := range a.Figures {
		rows = append(rows, []string{figureName(f, lg), num(f.Before, f.Unit), num(f.After, f.Unit), t(f.Unit)})
	}
	add(block{Kind: "table", Head: []string{t("rep.figure"), t("ans.today"), t("ans.plan"), t("rep.unit")}, Align: "lrrl", Rows: rows})
	if len(a.Groups) > 0 {
		add(block{Kind: "h", Level: 2, Text: t("ans.groups")})
		rows = nil
		for _, g := range a.Groups {
			name := g.Name
			if g.ID == "most-deprived" {
				name = t("ans.deprived")
			}
			rows = append(rows, []string{name, arrow(g.MeanBefore, g.MeanAfter, "unit.minutes"), arrow(g.P90Before, g.P90After, "unit.minutes"), arrow(g.BeyondBefore, g.BeyondAfter, "unit.share")})
		}
		add(block{Kind: "table", Head: []string{t("ans.group"), t("ans.mean"), t("ans.p90"), fmt.Sprintf("%s (%s min)", t("ans.beyond"), mdreport.Dec(a.Standard, 0))}, Align: "lrrr", Rows: rows})
	}
	add(block{Kind: "h", Level: 2, Text: t("ans.decisions")})
	if len(a.Decisions) == 0 {
		add(block{Kind: "p", Text: t("ans.no_change")})
	} else {
		var items []string
		for _, d := range a.Decisions {
			items = append(items, decisionText(d, a, lg))
		}
		add(block{Kind: "ul", Items: items})
	}
	if len(a.Moves) > 0 {
		add(block{Kind: "h", Level: 2, Text: t("rep.moves")})
		rows = nil
		for _, m := range a.Moves {
			rows = append(rows, []string{string(m.Category), siteLabel(r, m.From), siteLabel(r, m.To), mdreport.Dec(m.FTE, 2), mdreport.Dec(m.Minutes, 0), mdreport.Int(m.CostMAD)})
		}
		add(block{Kind: "table", Head: []string{t("rep.category"), t("rep.from"), t("rep.to"), t("unit.fte"), t("unit.minutes"), t("unit.mad_week")}, Align: "lllrrr", Rows: rows})
	}
	if a.Programme != nil {
		bs = append(bs, programmeBlocks(a.Programme, lg)...)
	}
	if len(a.Sweep) > 1 {
		add(block{Kind: "h", Level: 2, Text: t("ans.sweep")})
		add(block{Kind: "p", Text: t("ans.sweep.help")})
		add(block{Kind: "table", Head: sweepHead(a, lg), Align: "rlrrrl", Rows: sweepTable(a, lg)})
	}
	add(block{Kind: "h", Level: 2, Text: t("rep.optimisation")})
	add(block{Kind: "table", Head: []string{"", ""}, Align: "ll", Rows: [][]string{
		{t("ans.status"), t("status." + a.Status)},
		{t("ans.value"), num(a.Value, a.ValueUnit) + " " + t(a.ValueUnit)},
		{t("ans.bound"), num(a.Bound, a.ValueUnit) + " " + t(a.ValueUnit)},
		{t("ans.gap"), num(a.Gap, "unit.share")},
		{t("ans.method"), a.Method},
	}})
	notes := append([]string{t("rep.synthetic")}, a.Eligibility...)
	if a.Travel != "" {
		notes = append(notes, a.Travel+".")
	}
	notes = append(append(notes, a.Explain[lg]...), a.Notes...)
	add(block{Kind: "h", Level: 2, Text: t("ans.notes")})
	add(block{Kind: "ul", Items: notes})
	add(block{Kind: "h", Level: 2, Text: t("rep.sources")})
	if len(a.Attribution) > 0 {
		add(block{Kind: "ul", Items: a.Attribution})
	}
	return bs
}

// sweepHead and sweepTable write the best plan for each number of
// changes.
func sweepHead(a *answer, lg string) []string {
	t := func(k string) string { return tr(lg, k) }
	return []string{t("sweep.changes"), t("sweep.plan"), t("fig.change_cost") + " (MAD)", t("ans.value") + " (" + t(a.ValueUnit) + ")", t("fig.unserved"), t("ans.status")}
}

func sweepTable(a *answer, lg string) [][]string {
	t := func(k string) string { return tr(lg, k) }
	var rows [][]string
	for _, r := range a.Sweep {
		if r.Error != "" {
			rows = append(rows, []string{fmt.Sprint(r.Changes), t("sweep.none") + ": " + r.Error, "", "", "", ""})
			continue
		}
		var parts []string
		if len(r.Opened) > 0 {
			parts = append(parts, t("change.opens")+" "+strings.Join(r.Opened, "; "))
		}
		if len(r.Closed) > 0 {
			parts = append(parts, t("change.closes")+" "+strings.Join(r.Closed, "; "))
		}
		what := t("sweep.today")
		if len(parts) > 0 {
			what = strings.Join(parts, "; ")
		}
		rows = append(rows, []string{fmt.Sprint(r.Changes), what, num(r.Cost, "unit.mad"), num(r.Value, a.ValueUnit), num(r.Unserved, "unit.demand"), t("status." + r.Status)})
	}
	return rows
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d)", y)
}

func arrow(b, a *float64, unit string) string { return num(b, unit) + " → " + num(a, unit) }

// figureName names a figure, with what it is of.
func figureName(f figure, lg string) string {
	if f.Label != "" {
		return tr(lg, f.Key) + " — " + f.Label
	}
	return tr(lg, f.Key)
}

// programmeBlocks write the programme year by year and its assumptions.
func programmeBlocks(p *programmeTable, lg string) []block {
	t := func(k string) string { return tr(lg, k) }
	head := []string{t("prog.year"), t("prog.capital"), t("prog.running"), t("prog.openings"), t("prog.modules"), t("prog.staff"), t("prog.recruits")}
	align := "lrrlrrr"
	for _, s := range p.Services {
		head = append(head, s.Name+": "+t("prog.unserved"), s.Name+": "+t("prog.mean"))
		align += "rr"
	}
	var rows [][]string
	for _, y := range p.Years {
		var ops []string
		for _, o := range y.Openings {
			ops = append(ops, fmt.Sprintf("%s: %s %s (%s)", o.Label, t("change.programme."+o.Action), o.Service, o.Modules))
		}
		row := []string{fmt.Sprint(y.Year), spent(y.CapitalMAD, y.CapitalBudgetMAD), spent(y.RunningMAD, y.RunningBudgetMAD), strings.Join(ops, "; "),
			fmt.Sprint(y.Modules), fmt.Sprintf("%s (%s / %s / %s)", mdreport.Dec(y.StaffFTE, 1), mdreport.Dec(y.OnRollFTE, 1), mdreport.Dec(y.PooledFTE, 1), mdreport.Dec(y.RecruitedFTE, 1)),
			mdreport.Dec(y.Recruits, 1)}
		for i := range p.Services {
			row = append(row, num(y.Unserved[i], "unit.share"), num(y.MeanMinutes[i], "unit.minutes"))
		}
		rows = append(rows, row)
	}
	bs := []block{{Kind: "h", Level: 2, Text: t("ans.programme")}, {Kind: "p", Text: t("ans.programme.help")}, {Kind: "table", Head: head, Align: align, Rows: rows},
		{Kind: "h", Level: 2, Text: t("ans.assumptions")}}
	rows = nil
	for _, as := range p.Assumptions {
		kind := t("prog.assumption")
		if !as.Assumption {
			kind = t("prog.sourced")
		}
		rows = append(rows, []string{as.Name, as.Value, as.Basis + " (" + kind + ")"})
	}
	return append(bs, block{Kind: "table", Head: []string{t("prog.afigure"), t("prog.avalue"), t("prog.abasis")}, Align: "lll", Rows: rows})
}

// spent writes a year's spend against its budget, in millions of MAD.
func spent(v float64, budget *float64) string {
	if budget == nil {
		return mdreport.Dec(v/1e6, 1)
	}
	return mdreport.Dec(v/1e6, 1) + " / " + mdreport.Dec(*budget/1e6, 1)
}

// decisionText says a decision and its reason in a sentence.
func decisionText(d decision, a *answer, lg string) string {
	t := func(k string) string { return tr(lg, k) }
	s := fmt.Sprintf("%s (%s): %s", d.Label, d.Site, t("change."+d.Change))
	if d.Service != "" {
		s += " " + string(d.Service)
		if d.Modules != "" {
			s += " (" + d.Modules + ")"
		}
		if d.Year != 0 {
			s += fmt.Sprintf(", %d", d.Year)
		}
	}
	if d.From != "" {
		s += fmt.Sprintf(": %s, %s %s ← %s (%s min)", d.Category, mdreport.Dec(d.FTE, 2), t("unit.fte"), d.From, mdreport.Dec(d.Minutes, 0))
	}
	if d.Cost > 0 {
		s += fmt.Sprintf(", %s MAD", mdreport.Int(d.Cost))
	}
	switch {
	case d.ReverseInfeasible:
		s += "; " + t("ans.reverse") + ": " + t("ans.reverse_inf")
	case d.Reverse != nil && d.ReverseExact:
		s += fmt.Sprintf("; %s: %s %s (%s", t("ans.reverse"), num(d.Reverse, a.ValueUnit), t(a.ValueUnit), t("ans.reverse_exact"))
		if len(d.ReverseRange) == 2 {
			s += fmt.Sprintf("; %s %s %s %s", t("ans.reverse_between"), num(&d.ReverseRange[0], a.ValueUnit), t("ans.and"), num(&d.ReverseRange[1], a.ValueUnit))
		}
		s += ")"
	case d.Reverse != nil:
		s += fmt.Sprintf("; %s: %s %s %s", t("ans.reverse"), t("ans.reverse_bound"), num(d.Reverse, a.ValueUnit), t(a.ValueUnit))
	}
	return s
}

func markdown(bs []block) []byte {
	var doc mdreport.Doc
	for _, b := range bs {
		switch b.Kind {
		case "h":
			doc.H(b.Level, "%s", b.Text)
		case "p":
			doc.P("%s", b.Text)
		case "ul":
			doc.Bullets(b.Items...)
		case "table":
			doc.Table(b.Head, b.Align, b.Rows)
		}
	}
	return []byte(doc.String())
}

var htmlReport = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem}td.r{text-align:right}th{background:#f3f3f3}</style>
</head><body>
{{range .Blocks}}{{if eq .Kind "h"}}{{if eq .Level 1}}<h1>{{.Text}}</h1>{{else if eq .Level 2}}<h2>{{.Text}}</h2>{{else}}<h3>{{.Text}}</h3>{{end}}
{{else if eq .Kind "p"}}<p>{{.Text}}</p>
{{else if eq .Kind "ul"}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{else if eq .Kind "table"}}{{$al := .Align}}<table><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead><tbody>{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if eq (slice $al $i) "r"}} class="r"{{end}}>{{$c}}</td>{{end}}</tr>{{end}}</tbody></table>
{{end}}{{end}}</body></html>
`))

func htmlDoc(bs []block, lg string) ([]byte, error) {
	// Align strings as long as each row, for the template's slice.
	for i := range bs {
		if bs[i].Kind == "table" {
			for len(bs[i].Align) < len(bs[i].Head) {
				bs[i].Align += "l"
			}
			for k, c := range bs[i].Align {
				if c != 'r' {
					bs[i].Align = bs[i].Align[:k] + "l" + bs[i].Align[k+1:]
				}
			}
		}
	}
	title := ""
	if len(bs) > 0 {
		title = bs[0].Text
	}
	var b bytes.Buffer
	err := htmlReport.Execute(&b, struct {
		Lang, Title string
		Blocks      []block
	}{lg, title, bs})
	return b.Bytes(), err
}

// planCSV writes one row per area (locate) or per move (pool).
func planCSV(a *answer, r *gst.Region) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	switch a.Question {
	case scenario.QuestionProgramme:
		programmeCSV(w, a.Programme)
	case scenario.QuestionPool:
		w.Write([]string{"category", "from", "to", "fte", "minutes", "cost_mad_per_week"})
		for _, m := range a.Moves {
			w.Write([]string{string(m.Category), string(m.From), string(m.To), strconv.FormatFloat(m.FTE, 'f', 4, 64), strconv.FormatFloat(m.Minutes, 'f', 1, 64), strconv.FormatFloat(m.CostMAD, 'f', 2, 64)})
		}
	default:
		w.Write([]string{"area", "name", "province", "demand", "minutes_today", "minutes_plan", "site_plan"})
		for i, at := range a.Areas {
			ar := r.Areas[i]
			w.Write([]string{string(at.ID), ar.Name, string(ar.Province), strconv.FormatFloat(at.Demand, 'f', 2, 64), f(at.Before), f(at.After), string(at.Site)})
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// programmeCSV writes one row per year of the programme.
func programmeCSV(w *csv.Writer, p *programmeTable) {
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	opt := func(v *float64, prec int) string {
		if v == nil {
			return ""
		}
		return f(*v, prec)
	}
	head := []string{"year", "capital_mad", "capital_budget_mad", "running_mad", "running_budget_mad", "decisions", "modules_open",
		"staff_fte", "on_roll_fte", "pooled_fte", "recruited_staff_fte", "recruits_fte"}
	for _, s := range p.Services {
		head = append(head, string(s.ID)+"_unserved_share", string(s.ID)+"_mean_minutes")
	}
	w.Write(head)
	for _, y := range p.Years {
		var ops []string
		for _, o := range y.Openings {
			ops = append(ops, fmt.Sprintf("%s %s %s (%s)", o.Site, o.Action, o.Service, o.Modules))
		}
		row := []string{fmt.Sprint(y.Year), f(y.CapitalMAD, 0), opt(y.CapitalBudgetMAD, 0), f(y.RunningMAD, 0), opt(y.RunningBudgetMAD, 0), strings.Join(ops, "; "),
			fmt.Sprint(y.Modules), f(y.StaffFTE, 2), f(y.OnRollFTE, 2), f(y.PooledFTE, 2), f(y.RecruitedFTE, 2), f(y.Recruits, 2)}
		for i := range p.Services {
			row = append(row, opt(y.Unserved[i], 4), opt(y.MeanMinutes[i], 1))
		}
		w.Write(row)
	}
}

// planGeoJSON writes the areas (their boundary, or their centroid) with
// their travel, the sites with their state, and the moves (pool) as lines.
func planGeoJSON(a *answer, r *gst.Region) ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	if a.Question == scenario.QuestionLocate {
		for i, at := range a.Areas {
			ar := r.Areas[i]
			var g orb.Geometry = orb.Point{ar.Lon, ar.Lat}
			if len(ar.Boundary) > 0 {
				g = ar.Boundary
			}
			ft := geojson.NewFeature(g)
			ft.Properties = geojson.Properties{"kind": "area", "id": string(at.ID), "name": ar.Name, "demand": at.Demand, "site_plan": string(at.Site)}
			if at.Before != nil {
				ft.Properties["minutes_today"] = *at.Before
			}
			if at.After != nil {
				ft.Properties["minutes_plan"] = *at.After
			}
			fc.Append(ft)
		}
	}
	for _, s := range a.Sites {
		e, ok := r.Establishment(s.ID)
		if !ok {
			continue
		}
		ft := geojson.NewFeature(orb.Point{e.Lon, e.Lat})
		ft.Properties = geojson.Properties{"kind": "site", "id": string(s.ID), "name": e.Name, "today": s.Today, "open": s.Open, "change": s.Change}
		if a.Question == scenario.QuestionPool {
			ft.Properties["unmet_today_fte"], ft.Properties["unmet_plan_fte"] = s.UnmetBefore, s.UnmetAfter
		}
		fc.Append(ft)
	}
	for _, m := range a.Moves {
		from, ok1 := r.Establishment(m.From)
		to, ok2 := r.Establishment(m.To)
		if !ok1 || !ok2 {
			continue
		}
		ft := geojson.NewFeature(orb.LineString{{from.Lon, from.Lat}, {to.Lon, to.Lat}})
		ft.Properties = geojson.Properties{"kind": "move", "category": string(m.Category), "from": string(m.From), "to": string(m.To), "fte": m.FTE}
		fc.Append(ft)
	}
	return json.Marshal(fc)
}

// exportFormats maps the export names to their file names and types.
var exportFormats = map[string]struct{ file, ctype string }{
	"md":      {"report.md", "text/markdown; charset=utf-8"},
	"html":    {"report.html", "text/html; charset=utf-8"},
	"json":    {"plan.json", "application/json"},
	"geojson": {"plan.geojson", "application/geo+json"},
	"csv":     {"plan.csv", "text/csv; charset=utf-8"},
}

// handleExport writes a finished job's answer in a format, as a download.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobOr404(w, r)
	if !ok {
		return
	}
	format := r.PathValue("format")
	ef, ok := exportFormats[format]
	if !ok {
		writeError(w, http.StatusNotFound, "not found", "unknown format (want md, html, json, geojson or csv)", nil)
		return
	}
	v := j.view()
	if v.Answer == nil {
		writeError(w, http.StatusConflict, "not ready", "the job has no answer (yet): "+v.State, nil)
		return
	}
	lg := lang(r)
	var b []byte
	var err error
	switch format {
	case "md":
		b = markdown(reportBlocks(v.Answer, j.Scenario, j.Region.Region, lg))
	case "html":
		b, err = htmlDoc(reportBlocks(v.Answer, j.Scenario, j.Region.Region, lg), lg)
	case "json":
		b, err = json.MarshalIndent(struct {
			Scenario *scenario.Scenario `json:"scenario"`
			Answer   *answer            `json:"answer"`
		}{j.Scenario, v.Answer}, "", "  ")
	case "geojson":
		b, err = planGeoJSON(v.Answer, j.Region.Region)
	case "csv":
		b, err = planCSV(v.Answer, j.Region.Region)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", ef.ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s"`, j.ID, ef.file))
	w.Write(b)
}

// handleScenario downloads a job's scenario, in the format gstplan reads.
func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobOr404(w, r)
	if !ok {
		return
	}
	b, err := json.MarshalIndent(j.Scenario, "", "  ")
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-scenario.json"`, j.ID))
	w.Write(append(b, '\n'))
}

// handleParseScenario reads a scenario file sent as the body and answers
// it checked, or its problems with line and column.
func (s *Server) handleParseScenario(w http.ResponseWriter, r *http.Request) {
	b, err := readAllLimited(w, r, scenario.MaxBytes)
	if err != nil {
		writeErr(w, err)
		return
	}
	sc, err := scenario.Parse(b, "scenario.json")
	if err == nil {
		_, err = sc.Check("scenario.json")
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sc)
}

func readAllLimited(w http.ResponseWriter, r *http.Request, n int64) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, n))
	if err != nil {
		return nil, fmt.Errorf("request: %w: larger than %d KiB or unreadable", gst.ErrTooLarge, n>>10)
	}
	return buf.Bytes(), nil
}

// comparison is what GET /api/compare returns: the scenarios' figures and
// decisions side by side, and the difference of travel with the plan
// between the second and the first, area by area, when both locate the
// same service in the same region.
type comparison struct {
	Jobs    []compared       `json:"jobs"`
	Figures []comparedFigure `json:"figures"`
	Diff    []areaDiff       `json:"diff,omitempty"`
}

// comparedFigure is a figure with the plan's value of each job.
type comparedFigure struct {
	Key    string     `json:"key"`
	Unit   string     `json:"unit"`
	Label  string     `json:"label,omitempty"`
	Values []*float64 `json:"values"` // after, one per job
}

type compared struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Question  string     `json:"question"`
	Status    string     `json:"status"`
	Decisions []decision `json:"decisions"`
}

type areaDiff struct {
	ID   gst.AreaID `json:"id"`
	Diff *float64   `json:"diff"` // minutes, second − first
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("jobs"), ",")
	if len(ids) < 2 || len(ids) > 8 {
		writeError(w, http.StatusBadRequest, "invalid", "compare needs 2 to 8 finished jobs: ?jobs=j1,j2", nil)
		return
	}
	var as []*answer
	var c comparison
	for _, id := range ids {
		j, ok := s.jobs.get(id)
		if !ok {
			writeError(w, http.StatusNotFound, "not found", fmt.Sprintf("no job %q", id), nil)
			return
		}
		v := j.view()
		if v.Answer == nil {
			writeError(w, http.StatusConflict, "not ready", fmt.Sprintf("job %s has no answer: %s", id, v.State), nil)
			return
		}
		as = append(as, v.Answer)
		name := v.Answer.Title[lang(r)]
		if j.Scenario.Name != "" {
			name = j.Scenario.Name
		}
		c.Jobs = append(c.Jobs, compared{ID: id, Title: name, Question: v.Answer.Question, Status: v.Answer.Status, Decisions: v.Answer.Decisions})
	}
	// Figures in the order of the first answer, those every answer has.
	for _, f := range as[0].Figures {
		row := comparedFigure{Key: f.Key, Unit: f.Unit, Label: f.Label}
		for _, a := range as {
			var v *float64
			for _, g := range a.Figures {
				if g.Key == f.Key && g.Unit == f.Unit && g.Label == f.Label {
					v = g.After
				}
			}
			row.Values = append(row.Values, v)
		}
		c.Figures = append(c.Figures, row)
	}
	a, b := as[0], as[1]
	if a.Region == b.Region && a.Question == scenario.QuestionLocate && b.Question == scenario.QuestionLocate && a.MapService == b.MapService && len(a.Areas) == len(b.Areas) {
		for i := range a.Areas {
			d := areaDiff{ID: a.Areas[i].ID}
			if x, y := a.Areas[i].After, b.Areas[i].After; x != nil && y != nil {
				d.Diff = finite(*y - *x)
			}
			c.Diff = append(c.Diff, d)
		}
	}
	writeJSON(w, http.StatusOK, c)
}

// handlePage serves the page in the language asked for.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	lg := lang(r)
	var b bytes.Buffer
	err := s.page.Execute(&b, struct {
		Lang, Other string
		T           map[string]string
	}{lg, map[string]string{"en": "fr", "fr": "en"}[lg], dictFor(lg)})
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
