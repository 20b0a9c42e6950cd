// The playground page of `flywheel serve` (docs/serve.md). Moving a lever sends the settings to
// the server: the mean-field line comes back first, then the bands of a small agent run, then a
// larger one. Every request carries this page's id and a sequence number, so the server drops
// the work of an older one (and the page aborts its fetch) when a newer one comes.
"use strict";

const VIEWS = [
  {id: "overview", title: "Overview",
   note: "The headline curves. The dashed line is the mean-field twin (expected values, drawn " +
         "at once); the solid line and band are the median and 5-95% band of a small agent run.",
   charts: [["active_users"], ["accounts_paying"], ["arr_usd"]]},
  {id: "bass", title: "Bass diffusion",
   note: "Innovators hear of the product on their own (aware_organic, rate p); imitators hear " +
         "of it from users (aware_word_of_mouth, rate q). Notice how word of mouth takes over " +
         "once there are users to talk. The second chart is the textbook closed form with the " +
         "same p, q and market, where every adopter talks at once: the model's word of mouth " +
         "comes only from regulars and champions, so compare the shapes, not the heights.",
   charts: [["aware_organic", "aware_word_of_mouth"]], bass: true},
  {id: "funnel", title: "PLG funnel",
   note: "People move signup -> activation -> adoption, and teams upgrade. Notice that a " +
         "better activation rate lifts every later stage, and that the conversions (second " +
         "chart, expected values) settle once the funnel fills.",
   charts: [["signups", "activations", "adoptions"], ["new_pqls", "accounts_new"]],
   conversions: true},
  {id: "viral", title: "K-factor",
   note: "K is the referral signups each active user brings per month. Each organic signup " +
         "becomes 1/(1-K) signups in all while K < 1; at K >= 1 growth feeds itself until the " +
         "market runs out. Referrals must be on in the scenario for K to move.",
   charts: [["k_factor"], ["signups_referral", "signups_word_of_mouth"]], viral: true},
  {id: "mrr", title: "MRR movements",
   note: "Net new MRR = new + expansion + reactivation - contraction - churned. Notice how " +
         "churned MRR grows with the base while new MRR follows acquisition. The mean-field " +
         "twin follows seats as a stock per block of accounts, so its expansion and " +
         "contraction lines run several times the agent model's while MRR itself agrees.",
   charts: [["mrr_new_usd", "mrr_expansion_usd", "mrr_reactivation_usd"],
            ["mrr_contraction_usd", "mrr_churned_usd"]]},
  {id: "community", title: "Community ladder",
   note: "Members climb exploring -> participating -> contributing -> leading. Notice that " +
         "the upper rungs fill slowly and hold the community; a scenario without a community " +
         "program (strategy.clg) shows flat zeros here.",
   charts: [["members_exploring", "members_participating", "members_contributing",
             "members_leading"]]},
];
const STAGES = [2, 16];  // replicates of the agent runs after each move (the first races the twin)
const MAX_PINS = 5;

const state = {
  client: "p" + Math.random().toString(36).slice(2, 12),
  seq: 0, doneSeq: -1, info: null, settings: {}, history: [], view: "overview",
  expect: null, run: null, pins: [], controller: null, drawCount: 0, timings: [],
};
window.__playground = state;  // read by the browser test

const $ = (sel) => document.querySelector(sel);
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function api(path, body, signal) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    signal};
  const response = await fetch(path, options);
  return {status: response.status, body: await response.json()};
}

function leverValue(lever) {
  return lever.path in state.settings ? state.settings[lever.path] : lever.value;
}

function buildLevers() {
  const box = $("#levers");
  box.replaceChildren();
  for (const lever of state.info.levers) {
    const id = "lever-" + lever.path.replace(/[^a-z0-9]/gi, "-");
    const row = el("div", {class: "lever", "data-path": lever.path});
    const unit = lever.unit ? " (" + lever.unit + ")" : "";
    row.append(el("label", {for: id}, lever.label, el("span", {class: "unit"}, unit)));
    if (lever.kind === "boolean") {
      const box2 = el("input", {type: "checkbox", id});
      box2.checked = !!leverValue(lever);
      box2.addEventListener("change", () => change(lever, box2.checked));
      row.append(box2);
    } else {
      const slider = el("input", {type: "range", id, min: lever.min, max: lever.max,
                                  step: lever.step});
      const number = el("input", {type: "number", class: "number", step: lever.step,
                                  "aria-label": lever.label});
      slider.value = number.value = leverValue(lever);
      const parse = (v) => (lever.kind === "integer" ? parseInt(v, 10) : parseFloat(v));
      slider.addEventListener("input", () => {
        number.value = slider.value;
        change(lever, parse(slider.value), false);
      });
      slider.addEventListener("change", () => commit());
      number.addEventListener("change", () => {
        slider.value = number.value;
        change(lever, parse(number.value));
      });
      row.append(slider, number);
    }
    row.append(el("div", {class: "error", role: "alert"}));
    box.append(row);
  }
}

// A lever moved: remember the settings before the gesture (for undo), then redraw.
let gesture = null;
function change(lever, value, done = true) {
  if (gesture === null) gesture = JSON.stringify(state.settings);
  if (value === lever.value || (lever.kind === "boolean" && value === !!lever.value)) {
    delete state.settings[lever.path];
  } else {
    state.settings[lever.path] = value;
  }
  update();
  if (done) commit();
}
function commit() {
  if (gesture !== null && gesture !== JSON.stringify(state.settings)) {
    state.history.push(gesture);
  }
  gesture = null;
  $("#undo").disabled = state.history.length === 0;
}

function showErrors(problems) {
  for (const row of document.querySelectorAll(".lever")) {
    row.classList.remove("bad");
    row.querySelector(".error").textContent = "";
  }
  const general = [];
  for (const p of problems || []) {
    const row = document.querySelector(`.lever[data-path="${CSS.escape(p.path)}"]`);
    if (row) {
      row.classList.add("bad");
      row.querySelector(".error").textContent = p.message;
    } else {
      general.push(p.text);
    }
  }
  $("#problems").textContent = general.join("\n");
}

// At most one mean-field request in flight per page: moves made while one runs are folded into
// the next (the newest settings), so a drag cannot queue work. The new request's sequence
// number makes the server drop the older agent run between replicates.
let expectBusy = false;
function update() {
  ++state.seq;
  if (!expectBusy) cycle(state.seq);
}

// The mean-field line and the first small agent run are asked at once: whichever comes back
// first is the first curve (the twin of a large scenario can take longer than a few replicates).
async function cycle(seq) {
  if (state.controller) state.controller.abort();  // the older agent runs' fetches
  const controller = state.controller = new AbortController();
  const body = {client: state.client, seq, settings: {...state.settings}};
  const started = performance.now();
  let fresh = false;  // the curves of the older settings are cleared at the first answer
  const clear = () => {
    if (!fresh) { fresh = true; state.expect = null; state.run = null; }
  };
  let firstCurve = null;
  const drawn = () => { if (firstCurve === null) firstCurve = performance.now() - started; };
  try {
    const firstRun = api("/api/run", {...body, replicates: STAGES[0]}, controller.signal)
      .then(async (run) => {
        if (seq === state.seq && run.status === 200) {
          clear();
          state.run = run.body;
          drawn();
          await draw();
        }
        return run;
      });
    firstRun.catch(() => {});
    let expect;
    expectBusy = true;
    try {
      expect = await api("/api/expect", body);
    } finally {
      expectBusy = false;
    }
    if (seq !== state.seq) {
      cycle(state.seq);
      return;
    }
    if (expect.status === 400) {
      showErrors(expect.body.problems);
      setStatus("settings refused: see the lever marked in red");
      state.doneSeq = seq;
      return;
    }
    showErrors([]);
    clear();
    state.expect = expect.status === 200 ? expect.body : null;
    drawn();
    await draw();
    setStatus(`first curve: ${firstCurve.toFixed(0)} ms; agent run...`);
    for (const [i, replicates] of STAGES.entries()) {
      const t0 = performance.now();
      const run = i === 0 ? await firstRun
                          : await api("/api/run", {...body, replicates}, controller.signal);
      if (seq !== state.seq || run.status === 409) return;
      if (run.status !== 200) {
        setStatus(`agent run: ${run.body.error || run.status}`);
        state.doneSeq = seq;
        return;
      }
      if (i > 0) {
        state.run = run.body;
        await draw();
      }
      state.timings.push({firstCurve, run: performance.now() - t0, replicates});
      setStatus(`first curve: ${firstCurve.toFixed(0)} ms; agent run of ${replicates} ` +
                `replicates: ${(performance.now() - t0).toFixed(0)} ms`);
    }
    state.doneSeq = seq;
  } catch (e) {
    if (e.name !== "AbortError") setStatus("request failed: " + e.message);
  }
}

function setStatus(text) { $("#status").textContent = text; }

const label = (name) => name.replace(/_usd$/, " (USD)").replace(/_/g, " ");

function settingsLabel(settings) {
  const parts = Object.entries(settings).map(([k, v]) => k.split(".").pop() + "=" + v);
  return parts.length ? parts.join(", ") : "scenario values";
}

// Rows for one chart: mean-field lines, the agent median and band, the pins' medians.
function rows(metrics, view) {
  const out = [];
  const add = (series, source, values) => (values || []).forEach((v, i) => {
    if (v !== null && v !== undefined && isFinite(v)) out.push({month: i + 1, value: v, series, source});
  });
  for (const m of metrics) {
    if (state.expect) add(label(m), "mean-field", state.expect.series[m]);
    if (state.run) {
      const b = state.run.bands[m];
      add(label(m), "agent median", b.p50);
      b.p5.forEach((lo, i) => {
        if (lo !== null && b.p95[i] !== null) {
          out.push({month: i + 1, lo, hi: b.p95[i], series: label(m), source: "band"});
        }
      });
    }
    state.pins.forEach((pin) => add(label(m) + " \u00b7 " + pin.name, "pinned",
                                    pin.run ? pin.run.bands[m].p50 : pin.expect.series[m]));
  }
  return out;
}

// The closed-form Bass model with the scenario's p and q over its whole market.
function bassChart() {
  const out = [];
  const get = (path, fallback) => {
    const lever = state.info.levers.find((l) => l.path === path);
    return lever ? leverValue(lever) : fallback;
  };
  const p = get("acquisition.innovation_p_per_month", null);
  const q = get("acquisition.imitation_q_per_month", null);
  const m = get("market.people", state.info.people);
  const chart = {values: out, title: "Bass closed form (same p, q, market)", unit: "people/month"};
  if (!(p > 0) || q === null) return chart;
  const F = (t) => (1 - Math.exp(-(p + q) * t)) / (1 + (q / p) * Math.exp(-(p + q) * t));
  for (let t = 1; t <= state.info.months; ++t) {
    const f = F(t - 0.5);
    out.push({month: t, value: m * p * (1 - f), series: "innovators (closed form)",
              source: "closed form"});
    out.push({month: t, value: m * q * f * (1 - f), series: "imitators (closed form)",
              source: "closed form"});
  }
  return chart;
}

function spec(values, title, unit) {
  // Layers only for data that is there: an empty layer makes Vega warn of an infinite extent.
  const x = {field: "month", type: "quantitative", title: "month",
             scale: {domain: [0, state.info.months], nice: false}};
  const color = {field: "series", type: "nominal", title: null, legend: {orient: "bottom", columns: 2}};
  const bands = values.filter((r) => r.source === "band");
  const lines = values.filter((r) => r.source !== "band");
  if (!lines.length) {
    return {width: "container", height: 220, title: title + " (undefined for these settings)",
            data: {values: [{month: 1}]}, mark: {type: "text", text: "no data"},
            encoding: {x: {field: "month", type: "quantitative", title: "month"}}};
  }
  return {
    width: "container", height: 220, title, autosize: {type: "fit-x", contains: "padding"},
    layer: [
      ...(bands.length ? [{data: {values: bands}, mark: {type: "area", opacity: 0.2},
       encoding: {x, y: {field: "lo", type: "quantitative", title: unit}, y2: {field: "hi"}, color}}] : []),
      {data: {values: lines}, mark: {type: "line", strokeWidth: 2},
       encoding: {x, y: {field: "value", type: "quantitative", title: unit}, color,
                  strokeDash: {field: "source", type: "nominal", title: null,
                               scale: dashes(lines),
                               legend: {orient: "top", direction: "horizontal"}}}},
    ],
  };
}

// The line styles of the sources present, so that the legend names only those.
function dashes(lines) {
  const all = {"agent median": [1, 0], "mean-field": [6, 4], "pinned": [2, 2], "closed form": [1, 3]};
  const present = Object.keys(all).filter((k) => lines.some((r) => r.source === k));
  return {domain: present, range: present.map((k) => all[k])};
}

function unitOf(metric) {
  const info = state.info.metrics.find((m) => m.name === metric);
  return info ? info.unit : "";
}

async function draw() {
  const view = VIEWS.find((v) => v.id === state.view);
  const box = $("#charts");
  const charts = view.charts.map((metrics) => ({values: rows(metrics, view),
    title: metrics.map(label).join(", "), unit: unitOf(metrics[0])}));
  if (view.bass) charts.push(bassChart());
  if (view.conversions && state.expect) charts.push(conversionChart());
  if (view.viral) $("#viral-note").textContent = viralText();
  $("#viral-note").hidden = !view.viral;
  state.chartData = charts.map((c) => c.values);
  while (box.children.length < charts.length) box.append(el("div", {class: "chart"}));
  while (box.children.length > charts.length) box.lastChild.remove();
  await Promise.all(charts.map((c, i) => vegaEmbed(box.children[i], spec(c.values, c.title, c.unit),
                                                   {actions: false, renderer: "svg"})));
  state.drawCount++;
}

function conversionChart() {
  const s = state.expect.series, values = [];
  const ratio = (a, b, name) => a.forEach((v, i) => {
    if (v !== null && b[i]) values.push({month: i + 1, value: v / b[i], series: name, source: "mean-field"});
  });
  ratio(s.activations, s.signups, "activations per signup");
  ratio(s.adoptions, s.activations, "adoptions per activation");
  (s.free_to_paid || []).forEach((v, i) => {
    if (v !== null) values.push({month: i + 1, value: v, series: "free to paid (cumulative)", source: "mean-field"});
  });
  return {values, title: "stage conversions (expected)", unit: "ratio"};
}

function viralText() {
  const k = state.run ? state.run.bands.k_factor.p50 : state.expect && state.expect.series.k_factor;
  const last = (k || []).filter((v) => v !== null && isFinite(v)).pop();
  if (last === undefined) return "K: not defined for this scenario (no referrals).";
  if (last >= 1) return `K = ${last.toFixed(3)} >= 1: each signup brings more than one more.`;
  return `K = ${last.toFixed(3)} at the last month: 1/(1-K) = ${(1 / (1 - last)).toFixed(3)} ` +
         "signups in all per organic signup.";
}

function buildTabs() {
  const tabs = $("#tabs");
  for (const view of VIEWS) {
    const b = el("button", {role: "tab", "data-view": view.id, class: "tab"}, view.title);
    b.addEventListener("click", () => {
      state.view = view.id;
      for (const t of tabs.children) t.setAttribute("aria-selected", t === b);
      $("#note").textContent = view.note;
      draw();
    });
    tabs.append(b);
  }
  tabs.firstChild.setAttribute("aria-selected", "true");
  $("#note").textContent = VIEWS[0].note;
}

function renderPins() {
  const list = $("#pins");
  list.replaceChildren(...state.pins.map((pin, i) => el("li", {}, pin.name + ": " + pin.label + " ",
    el("button", {class: "small", onclick: () => { state.pins.splice(i, 1); renaming(); }}, "remove"))));
  $("#pin").disabled = state.pins.length >= MAX_PINS;
}
function renaming() {
  state.pins.forEach((p, i) => { p.name = "pin " + (i + 1); });
  renderPins();
  draw();
}

async function exportSettings() {
  const r = await api("/api/export", {settings: state.settings});
  if (r.status !== 200) { showErrors(r.body.problems); return; }
  $("#export-yaml").value = r.body.yaml;
  $("#export-command").textContent = r.body.command;
  const link = $("#download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([r.body.yaml], {type: "text/yaml"}));
  link.download = r.body.file_name;
  $("#export").hidden = false;
}

function restore(settings) {
  state.settings = settings;
  buildLevers();
  update();
}

async function start() {
  const r = await api("/api/levers");
  state.info = r.body;
  $("#title").textContent = `${state.info.scenario} \u2014 flywheel playground`;
  document.title = `${state.info.scenario} \u2014 flywheel playground`;
  buildTabs();
  buildLevers();
  $("#reset").addEventListener("click", () => {
    state.history.push(JSON.stringify(state.settings));
    $("#undo").disabled = false;
    restore({});
  });
  $("#undo").addEventListener("click", () => {
    if (state.history.length) restore(JSON.parse(state.history.pop()));
    $("#undo").disabled = state.history.length === 0;
  });
  $("#pin").addEventListener("click", () => {
    if (!state.expect || state.pins.length >= MAX_PINS) return;
    state.pins.push({settings: {...state.settings}, label: settingsLabel(state.settings),
                     expect: state.expect, run: state.run});
    renaming();
  });
  $("#export-button").addEventListener("click", exportSettings);
  update();
}

start();
