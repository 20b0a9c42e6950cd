// The compare report: compare.json and compare_months.csv of a compare folder drawn as A and B
// bands overlaid per metric, the paired difference B - A with its 95% interval per month, the
// verdicts and the parameters that differ.
#include "report_charts.hpp"
#include "report_timeseries.hpp"
#include "report_page.hpp"
#include "report_schedule.hpp"

#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

namespace flywheel {

namespace {

using report::Chart;
using report::Json;
using report::MetricStyle;
using report::Section;

constexpr std::string_view kColorA = "#d97706", kColorB = "#2563eb";

std::string side_label(const Json& compare, const char* side) {
  const Json& s = compare.contains(side) ? compare[side] : Json::object();
  return fmt::format("{}: {}", side[0] == 'a' ? "A" : "B", s.value("scenario", std::string("?")));
}

// Bands of A and B per metric and month, and the paired differences, from compare_months.csv.
void read_months(const std::string& csv, const std::string& label_a, const std::string& label_b,
                 Json& datasets, std::vector<std::string>& metrics) {
  const report::CsvTable table = report::parse_csv(csv, "compare_months.csv");
  const std::array<const char*, 5> quantiles = {"p5", "p25", "p50", "p75", "p95"};
  for (const char* name : {"metric", "month", "diff", "diff_lo", "diff_hi", "mean_a", "mean_b"}) {
    if (table.column(name) < 0)
      report::throw_bad_file("compare_months.csv", fmt::format("no column {}", name));
  }
  auto field = [&](const std::vector<std::string>& row, const std::string& name) {
    const int col = table.column(name);
    return col < 0 ? Json(nullptr) : report::number_json(report::parse_number(row[col]));
  };
  Json bands = Json::array(), diffs = Json::array();
  for (const auto& row : table.rows) {
    const std::string& metric = row[table.column("metric")];
    if (metrics.empty() || metrics.back() != metric) metrics.push_back(metric);
    const Json month = field(row, "month");
    for (const auto& [side, label] : {std::pair{"a", label_a}, std::pair{"b", label_b}}) {
      Json r{{"metric", metric},
             {"month", month},
             {"scenario", label},
             {"mean", field(row, std::string("mean_") + side)}};
      for (const char* q : quantiles) r[q] = field(row, std::string(side) + "_" + q);
      bands.push_back(std::move(r));
    }
    diffs.push_back(Json{{"metric", metric},
                         {"month", month},
                         {"diff", field(row, "diff")},
                         {"lo", field(row, "diff_lo")},
                         {"hi", field(row, "diff_hi")},
                         {"lift", field(row, "lift")},
                         {"p", field(row, "p_b_greater")}});
  }
  datasets["bands"] = std::move(bands);
  datasets["diffs"] = std::move(diffs);
}

// Each side's mean field (expected_a.csv, expected_b.csv) as the "expected" field of its rows.
void add_expected_sides(const std::string& csv_a, const std::string& csv_b,
                        const std::string& label_a, Json& bands) {
  const report::Expected a = report::read_expected(csv_a, "expected_a.csv");
  const report::Expected b = report::read_expected(csv_b, "expected_b.csv");
  for (Json& row : bands) {
    const report::Expected& side = row["scenario"] == label_a ? a : b;
    const auto metric = side.find(row["metric"].get<std::string>());
    double value = NAN;
    if (metric != side.end() && row["month"].is_number()) {
      const auto at = metric->second.find(row["month"].get<int>());
      if (at != metric->second.end()) value = at->second;
    }
    row["expected"] = report::number_json(value);
  }
}

// Where a side's mean field leaves its replicates' 90% band (the run report's rule,
// report::mean_field_departure, on the band alone: compare_months.csv has no standard errors),
// a note under the chart; "" when neither does.
std::string departure_note(const Json& bands, const std::string& metric) {
  std::map<std::string, std::pair<std::vector<report::MonthStats>, std::map<int, double>>> sides;
  for (const Json& row : bands) {
    if (row["metric"] != metric || !row["month"].is_number()) continue;
    auto& [months, expected] = sides[row["scenario"].get<std::string>()];
    auto number = [&](const char* key) {
      return row.contains(key) && row[key].is_number() ? row[key].get<double>() : NAN;
    };
    report::MonthStats s;
    s.month = row["month"].get<int>();
    s.mean = number("p50");  // the band's middle stands for the replicates
    s.p5 = number("p5");
    s.p95 = number("p95");
    months.push_back(s);
    expected[s.month] = number("expected");
  }
  std::string out;
  for (const auto& [side, data] : sides) {
    const int month = report::mean_field_departure(data.first, data.second);
    if (month == 0) continue;
    out += fmt::format(
        "<p class=\"note mean-field\">{}: the mean field is outside the replicates' band from "
        "month {}: randomness or non-linearity matters here (docs/mean_field.md).</p>",
        report::escape_html(side), month);
  }
  return out;
}

Json overlay_spec(const std::string& metric, const MetricStyle& style, const Json& domain,
                  bool mean_field) {
  const Json color{{"field", "scenario"},
                   {"type", "nominal"},
                   {"title", nullptr},
                   {"scale", {{"domain", domain}, {"range", {kColorA, kColorB}}}},
                   {"legend", {{"orient", "top"}, {"labelLimit", 400}}}};
  const Json y_title = style.unit.empty() ? Json(nullptr) : Json(style.unit);
  // Two filled 90% bands would overlap into mud: the 50% bands are filled, the 90% bands drawn
  // as their dashed edges.
  auto edge = [&](const char* field) {
    return Json{
        {"mark", {{"type", "line"}, {"strokeDash", {3, 3}}, {"strokeWidth", 1}}},
        {"encoding", {{"y", {{"field", field}, {"type", "quantitative"}}}, {"color", color}}}};
  };
  const Json band{{"mark", {{"type", "area"}, {"opacity", 0.28}}},
                  {"encoding",
                   {{"y",
                     {{"field", "p25"},
                      {"type", "quantitative"},
                      {"title", y_title},
                      {"axis", {{"format", style.axis_format}}}}},
                    {"y2", {{"field", "p75"}}},
                    {"color", color}}}};
  Json tooltip = Json::array({{{"field", "month"}, {"type", "quantitative"}},
                                    {{"field", "scenario"}, {"type", "nominal"}},
                                    {{"field", "p50"},
                                     {"type", "quantitative"},
                                     {"title", "median"},
                                     {"format", style.tooltip_format}},
                                    {{"field", "p5"},
                                     {"type", "quantitative"},
                                     {"title", "5%"},
                                     {"format", style.tooltip_format}},
                                    {{"field", "p95"},
                                     {"type", "quantitative"},
                                     {"title", "95%"},
                                     {"format", style.tooltip_format}}});
  if (mean_field) {
    tooltip.push_back(Json{{"field", "expected"},
                           {"type", "quantitative"},
                           {"title", "mean field"},
                           {"format", style.tooltip_format}});
  }
  Json spec{{"title",
               {{"text", style.title},
                {"subtitle", mean_field ? "median (line), 50% (band) and 90% (dashes) of "
                                          "replicates; dotted: mean field"
                                        : "median (line), 50% (band) and 90% (dashes) of replicates"}}},
              {"width", 440},
              {"height", 220},
              {"data", {{"name", "bands"}}},
              {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
              {"encoding", {{"x", report::month_x()}}},
              {"layer", Json::array({band,
                                     edge("p5"),
                                     edge("p95"),
                                     {{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
                                      {"encoding",
                                       {{"y", {{"field", "p50"}, {"type", "quantitative"}}},
                                        {"color", color},
                                        {"tooltip", tooltip}}}}})}};
  if (mean_field) {
    // Dotted, as the 90% bands are already dashed.
    spec["layer"].push_back(Json{
        {"mark", {{"type", "line"}, {"strokeWidth", 2}, {"strokeDash", {1, 3}},
                  {"strokeCap", "round"}}},
        {"encoding", {{"y", {{"field", "expected"}, {"type", "quantitative"}}}, {"color", color}}}});
  }
  return spec;
}

Json difference_spec(const std::string& metric, const MetricStyle& style) {
  const std::string f = style.tooltip_format;
  const Json tooltip = Json::array(
      {{{"field", "month"}, {"type", "quantitative"}},
       {{"field", "diff"}, {"type", "quantitative"}, {"title", "B − A"}, {"format", f}},
       {{"field", "lo"}, {"type", "quantitative"}, {"title", "95% from"}, {"format", f}},
       {{"field", "hi"}, {"type", "quantitative"}, {"title", "95% to"}, {"format", f}},
       {{"field", "lift"}, {"type", "quantitative"}, {"title", "lift"}, {"format", "+.1%"}},
       {{"field", "p"}, {"type", "quantitative"}, {"title", "P(B>A)"}, {"format", ".2f"}}});
  const Json y{{"field", "lo"},
               {"type", "quantitative"},
               {"title", style.unit.empty() ? Json("B − A") : Json("B − A (" + style.unit + ")")},
               {"axis", {{"format", style.axis_format}}}};
  Json hover = report::hover_rule_layer(tooltip);
  hover["encoding"]["x"] = report::month_x();
  return Json{
      {"title",
       {{"text", style.title + ": B − A"},
        {"subtitle", "paired difference with its 95% interval (common random numbers)"}}},
      {"width", 440},
      {"height", 220},
      {"data", {{"name", "diffs"}}},
      {"transform", Json::array({{{"filter", {{"field", "metric"}, {"equal", metric}}}}})},
      {"layer",
       Json::array(
           {{{"mark", {{"type", "area"}, {"color", "#7c3aed"}, {"opacity", 0.25}}},
             {"encoding", {{"x", report::month_x()}, {"y", y}, {"y2", {{"field", "hi"}}}}}},
            {{"mark", {{"type", "line"}, {"color", "#7c3aed"}, {"strokeWidth", 2}}},
             {"encoding",
              {{"x", report::month_x()}, {"y", {{"field", "diff"}, {"type", "quantitative"}}}}}},
            {{"mark", {{"type", "rule"}, {"color", "#111827"}, {"strokeDash", {4, 3}}}},
             {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}},
            hover})}};
}

// A side's schedule changes as compare.json lists them; none from a file written before it did.
std::vector<ScheduleChange> side_changes(const Json& compare, const char* side) {
  std::vector<ScheduleChange> out;
  if (!compare.contains(side) || !compare[side].contains("schedule_changes")) return out;
  for (const Json& c : compare[side]["schedule_changes"]) {
    if (!c.is_object() || !c.value("month", Json()).is_number_integer()) continue;
    out.push_back(ScheduleChange{c["month"].get<int>(), c.value("path", std::string("?")),
                                 c.value("from", 0.0), c.value("to", 0.0)});
  }
  return out;
}

// The last month compared: compare.json's months, else the latest month of the bands.
int compared_months(const Json& compare, const Json& datasets) {
  if (compare.contains("months") && compare["months"].is_number_integer()) {
    return compare["months"].get<int>();
  }
  int months = 0;
  if (datasets.contains("bands")) {
    for (const Json& row : datasets["bands"]) {
      if (row["month"].is_number()) months = std::max(months, row["month"].get<int>());
    }
  }
  return months;
}

Section verdict_section(const Json& compare) {
  Section section{"Verdicts",
                  "<p>For each metric and month compared: the paired difference B − A with its "
                  "95% t interval, the relative lift with a 95% delta-method interval, and P(B>A) "
                  "(compare.csv holds every number).</p>"};
  std::string list = "<ul>";
  for (const Json& c : compare.value("comparisons", Json::array())) {
    list += "<li>" + report::escape_html(c.value("verdict", std::string())) + "</li>";
  }
  section.body_html = list + "</ul>\n";
  return section;
}

Section differences_section(const Json& compare) {
  Section section{"What differs", ""};
  const Json differences = compare.value("differences", Json::array());
  if (differences.empty()) {
    section.intro_html = compare.contains("differences")
                             ? "<p>No resolved parameter differs between A and B.</p>"
                             : "<p>This compare.json does not list the parameters that differ.</p>";
    return section;
  }
  std::string table = "<table><tr><th>parameter</th><th>A</th><th>B</th></tr>";
  for (const Json& d : differences) {
    table += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                         report::escape_html(d.value("path", std::string())),
                         report::escape_html(d.contains("a") ? d["a"].dump() : "null"),
                         report::escape_html(d.contains("b") ? d["b"].dump() : "null"));
  }
  section.intro_html = "<p>Resolved parameters whose values differ between A and B.</p>";
  section.body_html = table + "</table>\n";
  return section;
}

}  // namespace

std::string compare_report_html(const CompareFiles& files) {
  const Json compare = report::parse_json(files.compare_json, "compare.json");
  const std::string label_a = side_label(compare, "a"), label_b = side_label(compare, "b");
  report::Page page;
  page.title = label_a.substr(3) + " vs " + label_b.substr(3);
  page.kind = "compare report";
  page.facts = {
      {"A", label_a.substr(3)},
      {"B", label_b.substr(3)},
      {"seed", compare.contains("seed") ? compare["seed"].dump() : "?"},
      {"paired replicates", compare.contains("replicates") ? compare["replicates"].dump() : "?"},
      {"report by flywheel", report::report_version()}};
  Section charts{"A and B by month",
                 "<p>Both scenarios ran with the same seed: replicate r of A and of B drew the "
                 "same numbers for the same decisions, so B − A is measured per replicate, with "
                 "far less noise than the overlap of the bands suggests.</p>"};
  if (files.compare_months_csv.empty()) {
    charts.intro_html +=
        "<p class=\"note\">This folder has no compare_months.csv (written by <code>flywheel "
        "compare</code> since reports exist): run the comparison again to draw the months.</p>";
  } else {
    std::vector<std::string> metrics;
    read_months(files.compare_months_csv, label_a, label_b, page.datasets, metrics);
    const bool mean_field = !files.expected_a_csv.empty() && !files.expected_b_csv.empty();
    if (mean_field) {
      add_expected_sides(files.expected_a_csv, files.expected_b_csv, label_a,
                         page.datasets["bands"]);
      charts.intro_html +=
          "<p>The dotted lines are each scenario's mean-field twin: its expected trajectory "
          "without randomness (expected_a.csv, expected_b.csv; docs/mean_field.md).</p>";
    }
    const Json domain = Json::array({label_a, label_b});
    // A metric the mean field leaves undefined at every month (e.g. a median of individual
    // waits) gets no dotted line: Vega-Lite would warn of an empty extent.
    auto has_expected = [&](const std::string& metric) {
      for (const Json& row : page.datasets["bands"]) {
        if (row["metric"] == metric && row.contains("expected") && row["expected"].is_number()) {
          return true;
        }
      }
      return false;
    };
    for (const std::string& metric : metrics) {
      const MetricStyle style = report::metric_style(metric);
      const bool line = mean_field && has_expected(metric);
      charts.charts.push_back(
          Chart{report::chart_id("ab-" + metric), overlay_spec(metric, style, domain, line),
                {"bands"}});
      if (line) charts.charts.back().note_html = departure_note(page.datasets["bands"], metric);
      charts.charts.back().time = report::TimeAxis::months;
      charts.charts.push_back(
          Chart{report::chart_id("diff-" + metric), difference_spec(metric, style), {"diffs"}});
      charts.charts.back().time = report::TimeAxis::months;
    }
  }
  page.sections.push_back(verdict_section(compare));
  page.sections.push_back(std::move(charts));
  page.sections.push_back(differences_section(compare));
  report::add_schedule_markers(
      page,
      report::schedule_rows({{"A", side_changes(compare, "a")}, {"B", side_changes(compare, "b")}},
                            compared_months(compare, page.datasets)));
  return report::render_page(page);
}

}  // namespace flywheel
