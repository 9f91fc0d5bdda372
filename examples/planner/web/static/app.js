// The GST planner's page: the form, the solve's progress, the answer's
// map and figures, the comparison of scenarios. No library, no build step.
"use strict";

const lang = document.documentElement.dataset.lang || "en";
let T = {};
const t = (k) => T[k] || k;
const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";

const state = { regions: [], region: null, geom: null, job: null, answer: null, jobs: [], source: null };

// Travel classes, one-way minutes, and their colours (light to dark).
const BREAKS = [15, 30, 60, 90, 120];
const COLOURS = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#7f0000"];
const NOVALUE = "#d0d4d9";

function fmt(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const loc = lang === "fr" ? "fr-FR" : "en-GB";
  if (unit === "unit.share") return (100 * v).toLocaleString(loc, { maximumFractionDigits: 1 }) + " %";
  const d = Math.abs(v) >= 100 ? 0 : (Number.isInteger(v) ? 0 : 1);
  return v.toLocaleString(loc, { maximumFractionDigits: d, minimumFractionDigits: 0 });
}

async function api(path, opts) {
  const r = await fetch(path, opts);
  let body = null;
  const ct = r.headers.get("Content-Type") || "";
  if (ct.includes("json")) body = await r.json();
  if (!r.ok) {
    const e = new Error((body && body.message) || r.statusText);
    e.status = r.status; e.body = body;
    throw e;
  }
  return body;
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function showError(err) {
  const box = $("form-error");
  let msg = err.message || String(err);
  if (err.status === 503) msg = t("run.busy");
  const ps = (err.body && err.body.problems) || [];
  for (const p of ps) {
    const where = [p.file, p.line && ("line " + p.line), p.column && ("column " + p.column), p.where, p.field].filter(Boolean).join(", ");
    msg += "\n• " + (where ? where + ": " : "") + p.message;
  }
  box.textContent = msg;
  box.hidden = false;
}

// Regions.
async function loadRegions(select) {
  state.regions = await api("/api/regions");
  const sel = $("region");
  sel.replaceChildren();
  for (const r of state.regions) sel.append(el("option", { value: r.id, text: r.name + (r.source === "upload" ? " (" + r.id + ")" : "") }));
  if (select) sel.value = select;
  await selectRegion(sel.value);
}

async function selectRegion(id) {
  const [info, geom] = await Promise.all([api("/api/regions/" + encodeURIComponent(id)), api("/api/regions/" + encodeURIComponent(id) + "/map")]);
  state.region = info; state.geom = geom;
  const loc = lang === "fr" ? "fr-FR" : "en-GB";
  $("region-summary").textContent = t("region.summary").replace("%d", info.areas).replace("%d", info.establishments).replace("%s", Math.round(info.population).toLocaleString(loc));
  const sel = $("service");
  sel.replaceChildren();
  for (const s of info.services || []) sel.append(el("option", { value: s.id, text: (s.name || s.id) + (s.standard_minutes ? " (" + s.standard_minutes + " min)" : "") }));
  if ((info.services || []).some((s) => s.id === "caesarean")) sel.value = "caesarean";
}

// The scenario of the form, in the format gstplan reads.
function formScenario() {
  const num = (id) => Number($(id).value || 0);
  const sc = { question: $("question").value, time_limit: Math.max(1, num("time_limit")) + "s" };
  if ($("name").value.trim()) sc.name = $("name").value.trim();
  if (num("year")) sc.year = num("year");
  if (sc.question === "pool") {
    sc.pool = { commute_minutes: num("commute"), away_share: num("away"), granularity: $("granularity").value };
  } else if (sc.question === "programme") {
    delete sc.year;
    sc.programme = { capital_mad_per_year: num("capital") * 1e6, running_mad_per_year: num("running") * 1e6, years: num("horizon"), max_nodes: num("max_nodes") };
    if ($("decision_costs").checked) sc.programme.decision_costs = true;
  } else {
    sc.services = [$("service").value];
    sc.objective = $("objective").value;
    sc.max_changes = num("changes");
    if (num("max_travel")) sc.max_travel_minutes = num("max_travel");
    if (num("budget")) sc.budget = num("budget");
    sc.capacity = $("capacity").value;
  }
  return sc;
}

function fillForm(sc) {
  $("question").value = ["pool", "programme"].includes(sc.question) ? sc.question : "locate";
  $("name").value = sc.name || "";
  $("year").value = sc.year || 0;
  if (sc.time_limit) $("time_limit").value = parseInt(sc.time_limit, 10) || 30;
  if (sc.services && sc.services.length) $("service").value = sc.services[0];
  if (sc.objective) $("objective").value = sc.objective;
  $("changes").value = sc.max_changes === undefined ? 1 : sc.max_changes;
  $("max_travel").value = sc.max_travel_minutes || 0;
  $("budget").value = sc.budget || 0;
  $("capacity").value = sc.capacity || "uncapacitated";
  if (sc.pool) {
    $("commute").value = sc.pool.commute_minutes || 60;
    $("away").value = sc.pool.away_share || 0.5;
    $("granularity").value = sc.pool.granularity || "sessions";
  }
  const pr = sc.programme || {};
  $("capital").value = (pr.capital_mad_per_year || 120e6) / 1e6;
  $("running").value = (pr.running_mad_per_year || 45e6) / 1e6;
  $("horizon").value = pr.years || 10;
  $("max_nodes").value = pr.max_nodes || 200;
  $("decision_costs").checked = !!pr.decision_costs;
  toggleQuestion(!sc.time_limit);
}

// Time limits a question starts with, in seconds: the programme takes
// longer than the others.
const TIME_LIMITS = { locate: 30, pool: 30, programme: 120 };

function toggleQuestion(resetTime) {
  const q = $("question").value;
  $("locate-fields").hidden = q !== "locate";
  $("pool-fields").hidden = q !== "pool";
  $("programme-fields").hidden = q !== "programme";
  $("year-field").hidden = q === "programme";
  // A time limit left at the previous question's default follows the
  // question.
  const tl = $("time_limit");
  if (resetTime !== false && tl.value === tl.dataset.default) tl.value = TIME_LIMITS[q];
  tl.dataset.default = String(TIME_LIMITS[q]);
}

// Running.
async function run(ev) {
  ev.preventDefault();
  $("form-error").hidden = true;
  $("progress-line").textContent = "";
  const sc = formScenario();
  let started;
  try {
    started = await api("/api/solve", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ region: state.region.id, scenario: sc }) });
  } catch (err) { showError(err); return; }
  state.job = started.id;
  $("run").disabled = true;
  $("progress").hidden = false;
  $("cancel").disabled = false;
  $("status").textContent = t("run.running");
  $("progress-line").textContent = "";
  $("progress-chart").replaceChildren();
  const points = [];
  const t0 = Date.now();
  clearInterval(state.ticker);
  state.ticker = setInterval(() => { $("elapsed").textContent = `${t("prog.elapsed")} ${((Date.now() - t0) / 1000).toFixed(0)} s`; }, 1000);
  $("elapsed").textContent = "";
  if (state.source) state.source.close();
  const es = new EventSource("/api/jobs/" + started.id + "/events");
  state.source = es;
  es.addEventListener("progress", (e) => {
    const p = JSON.parse(e.data);
    points.push(p);
    $("progress-line").textContent = `${t("prog.value")} ${fmt(p.value)} · ${t("prog.bound")} ${fmt(p.bound)} · ${t("prog.gap")} ${fmt(p.gap, "unit.share")} · ${t("prog.elapsed")} ${fmt(p.elapsed_seconds)} s`;
    drawProgress(points);
  });
  es.addEventListener("done", async () => {
    es.close();
    state.source = null;
    await finish(started.id);
  });
  es.onerror = async () => { es.close(); state.source = null; await finish(started.id); };
}

async function finish(id) {
  clearInterval(state.ticker);
  $("run").disabled = false;
  $("cancel").disabled = true;
  let v;
  try { v = await api("/api/jobs/" + id); } catch (err) { showError(err); return; }
  if (v.state === "running") { setTimeout(() => finish(id), 500); $("run").disabled = true; return; }
  if (v.state === "failed") {
    $("status").textContent = t("run.failed");
    showError({ message: v.failure.message, body: v.failure });
    return;
  }
  $("status").textContent = t("status." + v.answer.status);
  state.answer = v.answer;
  if (!state.jobs.some((j) => j.id === id)) state.jobs.push({ id, title: v.scenario.name || v.answer.title[lang] || v.answer.title.en, status: v.answer.status });
  renderJobs();
  renderAnswer(id, v.answer);
}

function drawProgress(points) {
  const c = $("progress-chart");
  c.replaceChildren();
  const vals = points.flatMap((p) => [p.value, p.bound]).filter((x) => x !== null);
  if (vals.length < 2) return;
  const lo = Math.min(...vals), hi = Math.max(...vals), tmax = Math.max(...points.map((p) => p.elapsed_seconds), 1e-3);
  const y = (v) => 55 - 50 * (hi === lo ? 0.5 : (v - lo) / (hi - lo));
  const x = (s) => 5 + 290 * s / tmax;
  for (const [key, colour] of [["value", "#0f4c5c"], ["bound", "#b23a48"]]) {
    const pts = points.filter((p) => p[key] !== null).map((p) => x(p.elapsed_seconds) + "," + y(p[key]));
    if (pts.length) c.append(svg("polyline", { points: pts.join(" "), fill: "none", stroke: colour, "stroke-width": 2, "vector-effect": "non-scaling-stroke" }));
  }
}

// The answer.
function renderAnswer(id, a) {
  $("answer").hidden = false;
  $("answer-title").textContent = a.title[lang] || a.title.en;
  $("answer-ask").textContent = a.ask[lang] || a.ask.en;
  const fig = $("figures");
  fig.replaceChildren(el("tr", {}, el("th", { text: "" }), el("th", { class: "n", text: t("ans.today") }), el("th", { class: "n", text: t("ans.plan") }), el("th", { text: "" })));
  for (const f of a.figures) {
    const cls = f.before !== null && f.after !== null && f.after !== f.before ? "n" : "n";
    fig.append(el("tr", {}, el("td", { text: t(f.key) + (f.label ? " — " + f.label : "") }), el("td", { class: "n", text: fmt(f.before, f.unit) }), el("td", { class: cls, text: fmt(f.after, f.unit) }), el("td", { text: t(f.unit) })));
  }
  $("solve-status").textContent = `${t("ans.status")}: ${t("status." + a.status)} · ${t("ans.value")} ${fmt(a.value)} · ${t("ans.bound")} ${fmt(a.bound)} · ${t("ans.gap")} ${fmt(a.gap, "unit.share")} · ${a.method}`;
  const dec = $("decisions");
  dec.replaceChildren();
  if (!a.decisions.length) dec.append(el("li", { text: t("ans.no_change") }));
  for (const d of a.decisions) dec.append(el("li", { text: decisionText(d, a) }));
  const gb = $("groups-box");
  gb.hidden = !(a.groups && a.groups.length);
  if (a.groups) {
    const g = $("groups");
    g.replaceChildren(el("tr", {}, el("th", { text: t("ans.group") }), el("th", { class: "n", text: t("ans.mean") }), el("th", { class: "n", text: t("ans.p90") }), el("th", { class: "n", text: t("ans.beyond") + " (" + a.standard_minutes + " min)" })));
    for (const r of a.groups) {
      const name = r.id === "most-deprived" ? t("ans.deprived") : r.name;
      const row = el("tr", {}, el("td", { text: name }),
        el("td", { class: "n", text: fmt(r.mean_before) + " → " + fmt(r.mean_after) }),
        el("td", { class: "n", text: fmt(r.p90_before) + " → " + fmt(r.p90_after) }),
        el("td", { class: "n", text: fmt(r.beyond_before, "unit.share") + " → " + fmt(r.beyond_after, "unit.share") }));
      if (r.id === "region" || r.id === "most-deprived") row.classList.add("strong");
      g.append(row);
    }
  }
  renderProgramme(a.programme);
  const sb = $("sweep-box");
  sb.hidden = !(a.sweep && a.sweep.length > 1);
  if (!sb.hidden) {
    const tb = $("sweep");
    tb.replaceChildren(el("tr", {}, el("th", { text: t("sweep.changes") }), el("th", { text: t("sweep.plan") }), el("th", { class: "n", text: t("fig.change_cost") + " (MAD)" }),
      el("th", { class: "n", text: t("ans.value") + " (" + t(a.value_unit) + ")" }), el("th", { class: "n", text: t("fig.unserved") }), el("th", { text: t("ans.status") })));
    for (const r of a.sweep) {
      if (r.error) { tb.append(el("tr", {}, el("td", { text: String(r.changes) }), el("td", { text: t("sweep.none") + ": " + r.error }))); continue; }
      const parts = [];
      if (r.opened.length) parts.push(t("change.opens") + " " + r.opened.join("; "));
      if (r.closed.length) parts.push(t("change.closes") + " " + r.closed.join("; "));
      tb.append(el("tr", {}, el("td", { text: String(r.changes) }), el("td", { text: parts.join("; ") || t("sweep.today") }), el("td", { class: "n", text: fmt(r.cost_mad) }),
        el("td", { class: "n", text: fmt(r.value) }), el("td", { class: "n", text: fmt(r.unserved) }), el("td", { text: t("status." + r.status) })));
    }
  }
  const wb = $("warnings-box");
  wb.hidden = !(a.warnings && a.warnings.length);
  if (!wb.hidden) {
    $("warnings-head").textContent = t("rep.warnings").replace("%d", a.warnings.length);
    $("warnings").replaceChildren(...a.warnings.map((w) => el("li", { text: w })));
  }
  const ex = $("exports");
  ex.replaceChildren();
  for (const [f, label] of [["md", "report.md"], ["html", "report.html"], ["json", "plan.json"], ["geojson", "plan.geojson"], ["csv", "plan.csv"]]) {
    ex.append(el("a", { id: "export-" + f, href: `/api/jobs/${id}/export/${f}?lang=${lang}`, download: `${id}-${label}`, text: label }));
  }
  ex.append(el("a", { id: "save-scenario", href: `/api/jobs/${id}/scenario`, download: `${id}-scenario.json`, text: t("btn.save") }));
  const notes = $("notes");
  notes.replaceChildren();
  const all = [...(a.eligibility || []), ...(a.travel ? [a.travel + "."] : []), ...((a.explain && a.explain[lang]) || []), ...(a.notes || [])];
  for (const n of all) notes.append(el("li", { text: n }));
  $("notes-box").hidden = !all.length;
  drawMap($("map"), a, currentView());
  $("map-note").textContent = t("map." + state.geom.drawn) + (a.question === "programme" ? " " + t("map.programme") : "");
}

// renderProgramme draws the programme year by year and its assumptions.
function renderProgramme(p) {
  $("programme-box").hidden = !p;
  if (!p) return;
  const m = (v) => fmt(v / 1e6);
  const spent = (v, b) => m(v) + (b === null || b === undefined ? "" : " / " + m(b));
  const head = [t("prog.year"), t("prog.capital"), t("prog.running"), t("prog.openings"), t("prog.modules"), t("prog.staff"), t("prog.recruits")];
  for (const s of p.services) head.push(s.name + ": " + t("prog.unserved"), s.name + ": " + t("prog.mean"));
  const tb = $("programme");
  tb.replaceChildren(el("tr", {}, ...head.map((h, i) => el("th", { class: i === 3 ? "" : "n", text: h }))));
  for (const y of p.years) {
    const ops = y.openings.map((o) => `${o.label}: ${t("change.programme." + o.action)} ${o.service} (${o.modules})`).join("; ");
    const cells = [String(y.year), spent(y.capital_mad, y.capital_budget_mad), spent(y.running_mad, y.running_budget_mad), ops, String(y.modules),
      `${fmt(y.staff_fte)} (${fmt(y.on_roll_fte)} / ${fmt(y.pooled_fte)} / ${fmt(y.recruited_staff_fte)})`, fmt(y.recruits_fte)];
    p.services.forEach((_, i) => cells.push(fmt(y.unserved_share[i], "unit.share"), fmt(y.mean_minutes[i])));
    const row = el("tr", {}, ...cells.map((c, i) => el("td", { class: i === 3 ? "ops" : "n", text: c })));
    if (y.openings.length > 3) {
      // Many decisions: their number, the list on demand.
      const d = el("details", {}, el("summary", { text: `${y.openings.length} ${t("prog.openings")}` }), ops);
      row.children[3].replaceChildren(d);
    }
    tb.append(row);
  }
  const as = $("assumptions");
  as.replaceChildren(el("tr", {}, el("th", { text: t("prog.afigure") }), el("th", { text: t("prog.avalue") }), el("th", { text: t("prog.abasis") })));
  for (const x of p.assumptions) as.append(el("tr", {}, el("td", { text: x.name }), el("td", { text: x.value }), el("td", { text: x.basis + " (" + t(x.assumption ? "prog.assumption" : "prog.sourced") + ")" })));
}

function decisionText(d, a) {
  let s = `${d.label} (${d.site}): ${t("change." + d.change)}`;
  if (d.service) s += ` ${d.service}${d.modules ? " (" + d.modules + ")" : ""}${d.year ? ", " + d.year : ""}`;
  if (d.from) s += `: ${d.category}, ${fmt(d.fte)} ${t("unit.fte")} ← ${d.from} (${fmt(d.minutes)} min)`;
  if (d.cost_mad) s += `, ${fmt(d.cost_mad)} MAD`;
  if (d.reverse_infeasible) s += `; ${t("ans.reverse")}: ${t("ans.reverse_inf")}`;
  else if (d.reverse !== null && d.reverse !== undefined) {
    let exact = "";
    if (d.reverse_exact) {
      const range = d.reverse_range ? `; ${t("ans.reverse_between")} ${fmt(d.reverse_range[0])} ${t("ans.and")} ${fmt(d.reverse_range[1])}` : "";
      exact = ` (${t("ans.reverse_exact")}${range})`;
    }
    s += `; ${t("ans.reverse")}: ${d.reverse_exact ? "" : t("ans.reverse_bound") + " "}${fmt(d.reverse)} ${t(a.value_unit)}${exact}`;
  }
  return s;
}

function currentView() {
  const r = document.querySelector("input[name=view]:checked");
  return r ? r.value : "after";
}

function travelColour(m) {
  if (m === null || m === undefined) return NOVALUE;
  let i = 0;
  while (i < BREAKS.length && m > BREAKS[i]) i++;
  return COLOURS[i];
}

function diffColour(d) {
  if (d === null || d === undefined) return NOVALUE;
  if (d < -10) return "#1a9850";
  if (d < -1) return "#a6d96a";
  if (d <= 1) return "#f7f7f7";
  if (d <= 10) return "#fdae61";
  return "#d73027";
}

function ringPath(r) {
  let s = "";
  for (let i = 0; i < r.length; i += 2) s += (i ? "L" : "M") + r[i] + "," + (-r[i + 1]);
  return s + "Z";
}

// drawMap draws the region's communes shaded by a colour of each area,
// the sites and, for an answer, its decisions and assignment lines.
function drawMap(box, a, view, colourOf) {
  const g = state.geom;
  box.replaceChildren();
  const [x0, y0, x1, y1] = g.box;
  const pad = 3;
  box.setAttribute("viewBox", `${x0 - pad} ${-y1 - pad} ${x1 - x0 + 2 * pad} ${y1 - y0 + 2 * pad}`);
  const byArea = {};
  if (a && a.areas) for (const ar of a.areas) byArea[ar.id] = ar;
  const layer = svg("g", {});
  for (const ar of g.areas) {
    let fill = "#dfe6ea";
    if (colourOf) fill = colourOf(ar.id);
    else if (byArea[ar.id]) fill = travelColour(view === "before" ? byArea[ar.id].before : byArea[ar.id].after);
    const p = svg("path", { d: ar.rings.map(ringPath).join(""), fill, stroke: "#ffffff", "stroke-width": 0.25, "fill-rule": "evenodd" });
    const title = svg("title", {});
    const tr = byArea[ar.id];
    title.textContent = ar.name + (tr ? ` — ${fmt(tr.before)} → ${fmt(tr.after)} min` : "");
    p.append(title);
    layer.append(p);
  }
  box.append(layer);
  const sites = {};
  for (const s of g.sites) sites[s.id] = s;
  const areas = {};
  for (const ar of g.areas) areas[ar.id] = ar;
  if (a && a.areas && $("lines").checked && !colourOf && view !== "before") {
    const lines = svg("g", { stroke: "#0f4c5c", "stroke-opacity": 0.35, "stroke-width": 0.3 });
    for (const ar of a.areas) {
      const s = sites[ar.site], c = areas[ar.id];
      if (s && c) lines.append(svg("line", { x1: c.x, y1: -c.y, x2: s.x, y2: -s.y }));
    }
    box.append(lines);
  }
  if (a && a.moves) {
    const lines = svg("g", { stroke: "#6a3d9a", "stroke-opacity": 0.6 });
    for (const m of a.moves) {
      const f = sites[m.from], to = sites[m.to];
      if (f && to) lines.append(svg("line", { x1: f.x, y1: -f.y, x2: to.x, y2: -to.y, "stroke-width": Math.min(2, 0.3 + m.fte / 2) }));
    }
    box.append(lines);
  }
  if (a && a.sites) {
    const marks = svg("g", {});
    for (const s of a.sites) {
      const p = sites[s.id];
      if (!p) continue;
      const changed = s.change === "opens" || s.change === "closes";
      if (a.question === "locate" && !s.open && !changed) continue;
      let fill = "#ffffff", r = 1.6, stroke = "#1d2430";
      if (s.change === "opens") { fill = "#1b7a3a"; r = 3.2; }
      else if (s.change === "enlarges") { fill = "#2c7fb8"; r = 3.2; }
      else if (s.change === "closes") { fill = "#b23a48"; r = 3.2; }
      else if (a.question === "pool") { fill = s.unmet_after > 0.05 ? "#fc8d59" : "#91cf60"; r = 1.4; }
      const c = svg("circle", { cx: p.x, cy: -p.y, r, fill, stroke, "stroke-width": 0.5 });
      const title = svg("title", {});
      title.textContent = `${p.name} (${s.id}): ${t("change." + s.change)}` + (a.question === "pool" ? ` — ${t("map.unmet")} ${fmt(s.unmet_before)} → ${fmt(s.unmet_after)}` : "");
      c.append(title);
      marks.append(c);
    }
    box.append(marks);
  }
  drawLegend(colourOf ? $("cmp-legend") : $("legend"), colourOf ? "diff" : (a && a.question !== "locate" ? a.question : "travel"));
}

function drawLegend(box, kind) {
  box.replaceChildren();
  const sw = (c, text) => { const s = el("span", { class: "sw" }); s.style.background = c; box.append(el("span", {}, s, text)); };
  if (kind === "travel") {
    const labels = ["≤ 15", "15–30", "30–60", "60–90", "90–120", "> 120"];
    COLOURS.forEach((c, i) => sw(c, labels[i]));
    box.append(el("span", { text: t("map.legend") }));
    sw("#1b7a3a", t("map.opens")); sw("#b23a48", t("map.closes")); sw("#ffffff", t("map.stays"));
  } else if (kind === "diff") {
    sw("#1a9850", "< −10"); sw("#a6d96a", "−10 – −1"); sw("#f7f7f7", "±1"); sw("#fdae61", "1 – 10"); sw("#d73027", "> 10");
    box.append(el("span", { text: t("map.legend") }));
  } else if (kind === "programme") {
    sw("#1b7a3a", t("map.opens")); sw("#2c7fb8", t("map.enlarges")); sw("#b23a48", t("map.closes")); sw("#ffffff", t("map.stays"));
  } else {
    sw("#fc8d59", t("map.unmet") + " > 0"); sw("#91cf60", t("map.unmet") + " = 0");
  }
}

// Scenarios and comparison.
function renderJobs() {
  const ul = $("jobs");
  ul.replaceChildren();
  for (const j of state.jobs) {
    const cb = el("input", { type: "checkbox", value: j.id, "aria-label": j.title });
    cb.addEventListener("change", updateCompare);
    const show = el("a", { href: "#", text: "↗" });
    show.addEventListener("click", async (e) => { e.preventDefault(); const v = await api("/api/jobs/" + j.id); renderAnswer(j.id, v.answer); });
    ul.append(el("li", {}, cb, ` ${j.id}: ${j.title} (${t("status." + j.status)})`, show));
  }
  updateCompare();
}

function checked() { return [...document.querySelectorAll("#jobs input:checked")].map((c) => c.value); }
function updateCompare() { $("compare").disabled = checked().length < 2; }

async function compare() {
  let c;
  try { c = await api("/api/compare?lang=" + lang + "&jobs=" + checked().join(",")); } catch (err) { showError(err); return; }
  $("comparison").hidden = false;
  const tb = $("cmp-figures");
  tb.replaceChildren(el("tr", {}, el("th", { text: "" }), ...c.jobs.map((j) => el("th", { class: "n", text: j.id + ": " + j.title }))));
  for (const f of c.figures) tb.append(el("tr", {}, el("td", { text: t(f.key) + (f.label ? " — " + f.label : "") + " (" + t(f.unit) + ")" }), ...f.values.map((v) => el("td", { class: "n", text: fmt(v, f.unit) }))));
  const dd = $("cmp-decisions");
  dd.replaceChildren();
  for (const j of c.jobs) {
    const ul = el("ul", {});
    if (!j.decisions.length) ul.append(el("li", { text: t("ans.no_change") }));
    for (const d of j.decisions) ul.append(el("li", { text: `${d.label}: ${t("change." + d.change)}${d.from ? ": " + d.category + ", " + fmt(d.fte) + " " + t("unit.fte") + " ← " + d.from : ""}` }));
    dd.append(el("div", {}, el("strong", { text: j.id + ": " + j.title }), ul));
  }
  $("cmp-map-box").hidden = !c.diff;
  if (c.diff) {
    const m = {};
    for (const d of c.diff) m[d.id] = d.diff;
    drawMap($("cmp-map"), null, "after", (id) => diffColour(m[id]));
  }
}

async function upload(ev) {
  const f = ev.target.files[0];
  if (!f) return;
  $("form-error").hidden = true;
  try {
    const r = await api("/api/regions", { method: "POST", headers: { "Content-Type": "application/zip" }, body: f });
    await loadRegions(r.id);
  } catch (err) { showError(err); }
  ev.target.value = "";
}

async function loadScenario(ev) {
  const f = ev.target.files[0];
  if (!f) return;
  $("form-error").hidden = true;
  try {
    const sc = await api("/api/scenario", { method: "POST", headers: { "Content-Type": "application/json" }, body: await f.text() });
    fillForm(sc);
  } catch (err) { showError(err); }
  ev.target.value = "";
}

async function main() {
  T = await api("/api/i18n?lang=" + lang);
  $("form").addEventListener("submit", run);
  $("question").addEventListener("change", () => toggleQuestion(true));
  $("region").addEventListener("change", (e) => selectRegion(e.target.value).catch(showError));
  $("upload").addEventListener("change", upload);
  $("load").addEventListener("change", loadScenario);
  $("cancel").addEventListener("click", async () => { if (state.job) { $("cancel").disabled = true; await api("/api/jobs/" + state.job + "/cancel", { method: "POST" }); } });
  $("compare").addEventListener("click", compare);
  for (const r of document.querySelectorAll("input[name=view]")) r.addEventListener("change", () => state.answer && drawMap($("map"), state.answer, currentView()));
  $("lines").addEventListener("change", () => state.answer && drawMap($("map"), state.answer, currentView()));
  await loadRegions();
  document.body.dataset.ready = "1";
}

main().catch(showError);
