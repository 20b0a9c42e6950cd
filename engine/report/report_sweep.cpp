// The sweep report: sweep.json, points.csv, results.csv and (optionally) sensitivity.csv of a
// sweep folder drawn as each output's mean per point against each parameter, a heatmap over two
// parameters on a grid (or a coloured scatter), and the sensitivity indices as bars.
#include "report_charts.hpp"
#include "report_discover.hpp"
#include "report_page.hpp"

#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

namespace flywheel {

namespace {

using report::Chart;
using report::Json;
using report::MetricStyle;
using report::Section;

struct Parameter {
  std::string path;
  int column = 0;  // in points.csv
  bool numeric = true;
  bool lever = false;
};

struct Sweep {
  Json meta;
  report::CsvTable points;
  std::vector<Parameter> parameters;
  std::vector<std::string> outputs;
  std::map<int, std::vector<double>> means;  // point -> mean of each output over replicates
  std::map<int, std::string> policy_label;   // point -> its policy's lever values
  bool has_levers = false;
  // Colour points by policy: only when uncertainties vary too (with levers alone, each
  // parameter's axis already tells the policies apart).
  bool colour_by_policy = false;
};

std::string leaf(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

void read_points(Sweep& s) {
  const auto& header = s.points.header;
  if (header.size() < 3 || header[0] != "point" || header[1] != "policy") {
    report::throw_bad_file("points.csv", "header does not start with point,policy,scenario");
  }
  const Json levers = s.meta.value("levers", Json::array());
  for (std::size_t c = 3; c < header.size(); ++c) {
    Parameter p{header[c], static_cast<int>(c)};
    for (const auto& row : s.points.rows) p.numeric = p.numeric && report::parse_number(row[c]);
    p.lever = std::find(levers.begin(), levers.end(), Json(header[c])) != levers.end();
    s.has_levers = s.has_levers || p.lever;
    s.parameters.push_back(p);
  }
  s.colour_by_policy = s.has_levers && !s.meta.value("uncertainties", Json::array()).empty();
  for (const auto& row : s.points.rows) {
    std::string label;
    for (const Parameter& p : s.parameters) {
      if (p.lever) label += (label.empty() ? "" : ", ") + leaf(p.path) + " = " + row[p.column];
    }
    s.policy_label[std::atoi(row[0].c_str())] = label.empty() ? "policy " + row[1] : label;
  }
}

void read_results(Sweep& s, const std::string& text) {
  const report::CsvTable results = report::parse_csv(text, "results.csv");
  if (results.header.size() < 3 || results.header[0] != "point") {
    report::throw_bad_file("results.csv", "header does not start with point,replicate,seed");
  }
  s.outputs.assign(results.header.begin() + 3, results.header.end());
  std::map<int, std::vector<std::pair<double, int>>> sums;  // point -> (sum, n) per output
  for (const auto& row : results.rows) {
    auto& sum = sums[std::atoi(row[0].c_str())];
    sum.resize(s.outputs.size());
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
      const auto v = report::parse_number(row[k + 3]);
      if (v && std::isfinite(*v)) sum[k] = {sum[k].first + *v, sum[k].second + 1};
    }
  }
  for (const auto& [point, sum] : sums) {
    for (const auto& [total, n] : sum) s.means[point].push_back(n > 0 ? total / n : NAN);
  }
}

Json point_tooltip(const MetricStyle& style, bool policy) {
  Json t = Json::array({{{"field", "point"}, {"type", "quantitative"}},
                        {{"field", "parameter"}, {"type", "nominal"}},
                        {{"field", "x"}, {"type", "quantitative"}, {"title", "value"}},
                        {{"field", "y"},
                         {"type", "quantitative"},
                         {"title", "mean"},
                         {"format", style.tooltip_format}}});
  if (policy) t.push_back({{"field", "policy"}, {"type", "nominal"}});
  return t;
}

// Output `k` against every numeric parameter: one small scatter per parameter.
Chart scatter_chart(const Sweep& s, std::size_t k, bool wide) {
  const MetricStyle style = report::metric_style(s.outputs[k]);
  Json encoding{{"x",
                 {{"field", "x"},
                  {"type", "quantitative"},
                  {"title", nullptr},
                  {"scale", {{"zero", false}}}}},
                {"y",
                 {{"field", "y"},
                  {"type", "quantitative"},
                  {"title", style.unit.empty() ? Json(nullptr) : Json(style.unit)},
                  {"scale", {{"zero", false}}},
                  {"axis", {{"format", style.axis_format}}}}},
                {"tooltip", point_tooltip(style, s.has_levers)}};
  if (s.colour_by_policy) {
    encoding["color"] = {{"field", "policy"},
                         {"type", "nominal"},
                         {"title", "policy"},
                         {"legend", {{"orient", "right"}, {"labelLimit", 280}}}};
  }
  Json spec{{"title",
             {{"text", style.title},
              {"subtitle", "mean over replicates per point, against each parameter"}}},
            {"data", {{"name", "sweep"}}},
            {"transform", Json::array({{{"filter", {{"field", "output"}, {"equal", s.outputs[k]}}}},
                                       {{"filter", "isValid(datum.y) && isFinite(datum.y)"}}})},
            {"facet", {{"field", "parameter"}, {"type", "nominal"}, {"title", nullptr}}},
            {"columns", 3},
            {"resolve", {{"scale", {{"x", "independent"}}}}},
            {"spec",
             {{"width", 260},
              {"height", 170},
              {"mark", {{"type", "point"}, {"filled", true}, {"opacity", 0.75}, {"size", 36}}},
              {"encoding", encoding}}}};
  if (!s.colour_by_policy) spec["spec"]["mark"]["color"] = "#2563eb";
  return Chart{report::chart_id("scatter-" + std::to_string(k)), spec, {"sweep"}, wide};
}

// Two parameters: a heatmap when their values form a grid, else a scatter coloured by output.
std::optional<std::pair<Parameter, Parameter>> pair_of(const Sweep& s) {
  std::vector<Parameter> levers;
  for (const Parameter& p : s.parameters) {
    if (p.lever) levers.push_back(p);
  }
  if (levers.size() == 2) return std::pair{levers[0], levers[1]};
  if (s.parameters.size() == 2) return std::pair{s.parameters[0], s.parameters[1]};
  return std::nullopt;
}

// Levers take listed values, and a grid design crosses its parameters' levels: either makes a
// grid of cells. Sampled uncertainties (random, lhs, sobol) do not, even when every pair occurs.
bool on_grid(const Sweep& s, const Parameter& u, const Parameter& v) {
  const bool gridded = s.meta.value("design", Json::object()).value("method", "") == "grid";
  if (!gridded && !(u.lever && v.lever)) return false;
  std::set<std::string> us, vs;
  std::set<std::pair<std::string, std::string>> both;
  for (const auto& row : s.points.rows) {
    us.insert(row[u.column]);
    vs.insert(row[v.column]);
    both.emplace(row[u.column], row[v.column]);
  }
  return us.size() <= 30 && vs.size() <= 30 && both.size() == us.size() * vs.size();
}

Chart pair_chart(const Sweep& s, std::size_t k, const Parameter& u, const Parameter& v, bool grid) {
  const MetricStyle style = report::metric_style(s.outputs[k]);
  const std::string type = grid ? "ordinal" : "quantitative";
  const Json color{{"aggregate", "mean"},
                   {"field", "y"},
                   {"type", "quantitative"},
                   {"title", style.unit.empty() ? "mean" : style.unit},
                   {"scale", {{"scheme", "viridis"}}},
                   {"legend", {{"format", style.axis_format}}}};
  Json spec{{"title",
             {{"text", style.title},
              {"subtitle", grid ? "mean over replicates (and over other parameters) per cell"
                                : "mean over replicates per point"}}},
            {"width", 360},
            {"height", 260},
            {"data", {{"name", "sweep_pairs"}}},
            {"transform", Json::array({{{"filter", {{"field", "output"}, {"equal", s.outputs[k]}}}},
                                       {{"filter", "isValid(datum.y) && isFinite(datum.y)"}}})},
            {"mark", grid ? Json{{"type", "rect"}} : Json{{"type", "circle"}, {"size", 60}}},
            {"encoding",
             {{"x", {{"field", "u"}, {"type", type}, {"title", u.path}, {"sort", "ascending"}}},
              {"y", {{"field", "v"}, {"type", type}, {"title", v.path}, {"sort", "descending"}}},
              {"color", color},
              {"tooltip", Json::array({{{"field", "u"}, {"type", type}, {"title", leaf(u.path)}},
                                       {{"field", "v"}, {"type", type}, {"title", leaf(v.path)}},
                                       {{"aggregate", "mean"},
                                        {"field", "y"},
                                        {"type", "quantitative"},
                                        {"title", "mean"},
                                        {"format", style.tooltip_format}}})}}}};
  if (!grid) {
    spec["encoding"]["y"].erase("sort");
    spec["encoding"]["x"]["scale"] = {{"zero", false}};
    spec["encoding"]["y"]["scale"] = {{"zero", false}};
  }
  return Chart{report::chart_id("pair-" + std::to_string(k)), spec, {"sweep_pairs"}};
}

Json value_of(const std::string& text, bool numeric) {
  return numeric ? report::number_json(report::parse_number(text)) : Json(text);
}

void add_datasets(const Sweep& s, const std::optional<std::pair<Parameter, Parameter>>& pair,
                  Json& datasets) {
  Json rows = Json::array(), pairs = Json::array();
  for (const auto& row : s.points.rows) {
    const int point = std::atoi(row[0].c_str());
    const auto it = s.means.find(point);
    if (it == s.means.end()) continue;  // no results yet
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
      const Json y = report::number_json(it->second[k]);
      for (const Parameter& p : s.parameters) {
        if (!p.numeric) continue;
        rows.push_back(Json{{"point", point},
                            {"policy", s.policy_label.at(point)},
                            {"parameter", p.path},
                            {"x", value_of(row[p.column], true)},
                            {"output", s.outputs[k]},
                            {"y", y}});
      }
      if (pair) {
        pairs.push_back(Json{{"point", point},
                             {"u", value_of(row[pair->first.column], pair->first.numeric)},
                             {"v", value_of(row[pair->second.column], pair->second.numeric)},
                             {"output", s.outputs[k]},
                             {"y", y}});
      }
    }
  }
  datasets["sweep"] = std::move(rows);
  datasets["sweep_pairs"] = std::move(pairs);
}

Section sensitivity_section(const std::string& csv, Json& datasets) {
  Section section{"Sensitivity", ""};
  const report::CsvTable table = report::parse_csv(csv, "sensitivity.csv");
  for (const char* name : {"policy", "output", "parameter", "index", "estimate", "lo", "hi"}) {
    if (table.column(name) < 0)
      report::throw_bad_file("sensitivity.csv", fmt::format("no column {}", name));
  }
  auto at = [&](const std::vector<std::string>& row, const char* name) {
    return row[table.column(name)];
  };
  Json rows = Json::array();
  std::vector<std::string> outputs;
  std::set<std::string> policies, indices;
  for (const auto& row : table.rows) {
    if (std::find(outputs.begin(), outputs.end(), at(row, "output")) == outputs.end())
      outputs.push_back(at(row, "output"));
    policies.insert(at(row, "policy"));
    indices.insert(at(row, "index"));
    rows.push_back(
        Json{{"policy", "policy " + at(row, "policy")},
             {"output", at(row, "output")},
             {"parameter", at(row, "parameter")},
             {"index", at(row, "index")},
             {"estimate", report::number_json(report::parse_number(at(row, "estimate")))},
             {"lo", report::number_json(report::parse_number(at(row, "lo")))},
             {"hi", report::number_json(report::parse_number(at(row, "hi")))}});
  }
  datasets["sensitivity"] = std::move(rows);
  const bool sobol = indices.count("S1") || indices.count("ST");
  const Json shown = sobol ? Json::array({"S1", "ST"}) : Json::array({"mu_star", "sigma"});
  section.intro_html =
      sobol
          ? "<p>Sobol indices: S1 is the share of the output's variance due to the parameter "
            "alone, ST "
            "its share including every interaction; the rules are 95% bootstrap intervals.</p>"
          : "<p>Morris elementary effects: mu* (mean absolute effect) ranks the parameters, sigma "
            "(their spread) shows non-linearity or interactions; the rules are 95% bootstrap "
            "intervals of mu*.</p>";
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const MetricStyle style = report::metric_style(outputs[k]);
    const Json y{{"field", "parameter"},
                 {"type", "nominal"},
                 {"title", nullptr},
                 {"axis", {{"labelLimit", 300}}}};
    const Json y_offset{{"field", "index"}, {"type", "nominal"}, {"sort", shown}};
    const Json x_title = sobol ? Json("index (share of variance)") : Json("elementary effect");
    Json unit{
        {"width", 420},
        {"height", {{"step", 14}}},
        {"encoding", {{"y", y}, {"yOffset", y_offset}}},
        {"layer",
         Json::array(
             {{{"mark", {{"type", "bar"}}},
               {"encoding",
                {{"x", {{"field", "estimate"}, {"type", "quantitative"}, {"title", x_title}}},
                 {"color",
                  {{"field", "index"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"scale", {{"domain", shown}, {"range", {"#2563eb", "#f59e0b"}}}},
                   {"legend", {{"orient", "top"}}}}},
                 {"tooltip",
                  Json::array({{{"field", "parameter"}},
                               {{"field", "index"}},
                               {{"field", "estimate"}, {"format", ".3~g"}},
                               {{"field", "lo"}, {"title", "95% from"}, {"format", ".3~g"}},
                               {{"field", "hi"}, {"title", "95% to"}, {"format", ".3~g"}}})}}}},
              {{"transform", Json::array({{{"filter", "isValid(datum.lo) && isValid(datum.hi)"}}})},
               {"mark", {{"type", "rule"}, {"color", "#111827"}}},
               {"encoding",
                {{"x", {{"field", "lo"}, {"type", "quantitative"}}},
                 {"x2", {{"field", "hi"}}}}}}})}};
    Json spec{{"title", {{"text", style.title}}},
              {"data", {{"name", "sensitivity"}}},
              {"transform", Json::array({{{"filter", {{"field", "output"}, {"equal", outputs[k]}}}},
                                         {{"filter", {{"field", "index"}, {"oneOf", shown}}}}})}};
    if (policies.size() > 1) {
      spec["facet"] = {{"row", {{"field", "policy"}, {"type", "nominal"}, {"title", nullptr}}}};
      spec["spec"] = unit;
    } else {
      spec.update(unit);
    }
    section.charts.push_back(
        Chart{report::chart_id("sensitivity-" + std::to_string(k)), spec, {"sensitivity"}});
  }
  return section;
}

}  // namespace

std::string sweep_report_html(const SweepFiles& files) {
  Sweep s;
  s.meta = report::parse_json(files.sweep_json, "sweep.json");
  s.points = report::parse_csv(files.points_csv, "points.csv");
  read_points(s);
  read_results(s, files.results_csv);
  const Json design = s.meta.value("design", Json::object());
  report::Page page;
  page.title = s.meta.value("spec_file", std::string("sweep"));
  page.kind = "sweep report";
  page.facts = {
      {"base scenario", s.meta.value("base", std::string("?"))},
      {"design", fmt::format("{}, {} samples", design.value("method", std::string("?")),
                             design.contains("samples") ? design["samples"].dump() : "?")},
      {"points", std::to_string(s.points.rows.size())},
      {"engine", s.meta.value("engine", std::string("agent"))},
      {"replicates per point", s.meta.contains("replicates") ? s.meta["replicates"].dump() : "?"},
      {"seed", s.meta.contains("seed") ? s.meta["seed"].dump() : "?"},
      {"run by flywheel", s.meta.value("flywheel_version", std::string("?"))}};
  const auto pair = pair_of(s);
  add_datasets(s, pair, page.datasets);
  Section scatter{"Outputs against parameters",
                  s.colour_by_policy
                      ? "<p>Each dot is a point of the design: the mean of its replicates. "
                        "Colour: the policy (the levers' values).</p>"
                      : "<p>Each dot is a point of the design: the mean of its replicates.</p>"};
  bool any_numeric = false;
  for (const Parameter& p : s.parameters) any_numeric = any_numeric || p.numeric;
  for (std::size_t k = 0; k < s.outputs.size() && any_numeric; ++k) {
    scatter.charts.push_back(scatter_chart(s, k, s.parameters.size() > 1));
  }
  page.sections.push_back(std::move(scatter));
  if (pair &&
      (on_grid(s, pair->first, pair->second) || (pair->first.numeric && pair->second.numeric))) {
    const bool grid = on_grid(s, pair->first, pair->second);
    Section two{fmt::format("{} × {}", leaf(pair->first.path), leaf(pair->second.path)),
                grid ? "<p>The two parameters form a grid: each cell is the mean output there.</p>"
                     : "<p>Each dot is a point; colour is the mean output.</p>"};
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
      two.charts.push_back(pair_chart(s, k, pair->first, pair->second, grid));
    }
    page.sections.push_back(std::move(two));
  }
  if (!files.sensitivity_csv.empty()) {
    page.sections.push_back(sensitivity_section(files.sensitivity_csv, page.datasets));
  }
  if (!files.discover_json.empty() && !files.discover_trajectory_csv.empty()) {
    page.sections.push_back(report::discover_section(files.discover_json,
                                                     files.discover_trajectory_csv, page.datasets));
  }
  return report::render_page(page);
}

}  // namespace flywheel
