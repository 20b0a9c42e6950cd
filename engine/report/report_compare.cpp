// The compare report: compare.json and compare_months.csv of a compare folder drawn as A and B
// bands overlaid per metric, the paired difference B - A with its 95% interval per month, the
// verdicts and the parameters that differ.
#include "report_charts.hpp"
#include "report_compare_sections.hpp"
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

std::string side_label(const Json& compare, const char* side) {
  const Json& s = compare.contains(side) ? compare[side] : Json::object();
  return fmt::format("{}: {}", side[0] == 'a' ? "A" : "B", s.value("scenario", std::string("?")));
}

// Bands of A and of each variant per metric and month, and the paired differences, from
// compare_months.csv (with a variant column when there are several variants; A's bands are
// taken from the first variant's rows).
void read_months(const std::string& csv, const std::string& label_a,
                 const std::map<std::string, std::string>& variant_labels, Json& datasets,
                 std::vector<std::string>& metrics) {
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
  const int variant_column = table.column("variant");
  std::string first_variant;
  for (const auto& row : table.rows) {
    const std::string& metric = row[table.column("metric")];
    const std::string variant = variant_column < 0 ? "B" : row[variant_column];
    if (first_variant.empty()) first_variant = variant;
    if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end()) {
      metrics.push_back(metric);
    }
    const Json month = field(row, "month");
    const auto known = variant_labels.find(variant);
    const std::string label_b = known != variant_labels.end() ? known->second : variant;
    for (const auto& [side, label] : {std::pair{"a", label_a}, std::pair{"b", label_b}}) {
      if (side[0] == 'a' && variant != first_variant) continue;  // A once
      Json r{{"metric", metric},
             {"month", month},
             {"scenario", label},
             {"mean", field(row, std::string("mean_") + side)}};
      for (const char* q : quantiles) r[q] = field(row, std::string(side) + "_" + q);
      bands.push_back(std::move(r));
    }
    diffs.push_back(Json{{"metric", metric},
                         {"variant", label_b},
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

// Each side's mean field (expected_a.csv, expected_b.csv, ...) as the "expected" field of its
// rows; `csvs` by side label.
void add_expected_sides(const std::map<std::string, std::string>& csvs, Json& bands) {
  std::map<std::string, report::Expected> sides;
  for (const auto& [label, csv] : csvs) {
    sides[label] = report::read_expected(
        csv, fmt::format("expected_{}.csv", static_cast<char>(label[0] - 'A' + 'a')));
  }
  for (Json& row : bands) {
    const auto found = sides.find(row["scenario"].get<std::string>());
    if (found == sides.end()) continue;
    const report::Expected& side = found->second;
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

Section verdict_section(const Json& compare, const std::vector<report::CompareVariant>& variants) {
  const bool many = variants.size() > 1;
  Section section{"Verdicts",
                  many ? "<p>Each variant against A, for each metric and month compared: the "
                         "paired difference with its 95% t interval, the relative lift with a 95% "
                         "delta-method interval, and P(variant>A) (compare.csv holds every "
                         "number, with a variant column).</p>"
                       : "<p>For each metric and month compared: the paired difference B − A "
                         "with its 95% t interval, the relative lift with a 95% delta-method "
                         "interval, and P(B>A) (compare.csv holds every number).</p>"};
  std::string list;
  for (const report::CompareVariant& v : variants) {
    if (many) list += "<h3>" + report::escape_html(v.label + ": " + v.scenario) + "</h3>";
    list += "<ul>";
    for (const Json& c : v.data->value("comparisons", Json::array())) {
      list += "<li>" + report::escape_html(c.value("verdict", std::string())) + "</li>";
    }
    list += "</ul>";
  }
  const Json omitted = compare.value("omitted", Json::array());
  if (!omitted.empty()) {
    std::string names;
    for (const Json& o : omitted) {
      names += (names.empty() ? "" : ", ") + report::escape_html(o.value("metric", std::string()));
    }
    list += fmt::format(
        "<p class=\"note\">Left out, as 0 at every month of every replicate of {}: {}.</p>",
        many ? "every scenario" : "both scenarios", names);
  }
  section.body_html = list + "\n";
  return section;
}

Section differences_section(const std::vector<report::CompareVariant>& variants) {
  Section section{"What differs", ""};
  const bool many = variants.size() > 1;
  std::string body;
  bool listed = false, any = false;
  for (const report::CompareVariant& v : variants) {
    listed = listed || v.data->contains("differences");
    const Json differences = v.data->value("differences", Json::array());
    if (differences.empty()) continue;
    any = true;
    if (many) body += "<h3>" + report::escape_html(v.label + ": " + v.scenario) + "</h3>";
    body += fmt::format("<table><tr><th>parameter</th><th>A</th><th>{}</th></tr>",
                        report::escape_html(v.label));
    for (const Json& d : differences) {
      body += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                          report::escape_html(d.value("path", std::string())),
                          report::escape_html(d.contains("a") ? d["a"].dump() : "null"),
                          report::escape_html(d.contains("b") ? d["b"].dump() : "null"));
    }
    body += "</table>\n";
  }
  if (!any) {
    section.intro_html = listed ? (many ? "<p>No resolved parameter differs between A and the "
                                          "variants.</p>"
                                        : "<p>No resolved parameter differs between A and B.</p>")
                                : "<p>This compare.json does not list the parameters that "
                                  "differ.</p>";
    return section;
  }
  section.intro_html = many ? "<p>Resolved parameters whose values differ between A and each "
                              "variant.</p>"
                            : "<p>Resolved parameters whose values differ between A and B.</p>";
  section.body_html = body;
  return section;
}

std::vector<ScheduleChange> changes_of(const Json* side) {
  std::vector<ScheduleChange> out;
  if (side == nullptr || !side->contains("schedule_changes")) return out;
  for (const Json& c : (*side)["schedule_changes"]) {
    if (!c.is_object() || !c.value("month", Json()).is_number_integer()) continue;
    out.push_back(ScheduleChange{c["month"].get<int>(), c.value("path", std::string("?")),
                                 c.value("from", 0.0), c.value("to", 0.0)});
  }
  return out;
}

}  // namespace

std::string compare_report_html(const CompareFiles& files) {
  const Json compare = report::parse_json(files.compare_json, "compare.json");
  const std::vector<report::CompareVariant> variants = report::compare_variants(compare);
  const bool many = variants.size() > 1;
  const std::string label_a = side_label(compare, "a");
  std::map<std::string, std::string> variant_labels;  // B -> "B: name"
  Json domain = Json::array({label_a});
  Json variant_domain = Json::array();
  std::string title = label_a.substr(3);
  report::Page page;
  page.facts = {{"A", label_a.substr(3)}};
  for (const report::CompareVariant& v : variants) {
    const std::string label = v.label + ": " + v.scenario;
    variant_labels[v.label] = label;
    domain.push_back(label);
    variant_domain.push_back(label);
    title += " vs " + v.scenario;
    page.facts.push_back({v.label, v.scenario});
  }
  page.title = title;
  page.kind = "compare report";
  page.facts.push_back({"seed", compare.contains("seed") ? compare["seed"].dump() : "?"});
  page.facts.push_back(
      {"paired replicates", compare.contains("replicates") ? compare["replicates"].dump() : "?"});
  page.facts.push_back({"report by flywheel", report::report_version()});
  Section charts{many ? "A and the variants by month" : "A and B by month",
                 many ? "<p>Every scenario ran with the same seed: replicate r of A and of each "
                        "variant drew the same numbers for the same decisions, so each variant − "
                        "A is measured per replicate, with far less noise than the overlap of the "
                        "bands suggests.</p>"
                      : "<p>Both scenarios ran with the same seed: replicate r of A and of B drew "
                        "the same numbers for the same decisions, so B − A is measured per "
                        "replicate, with far less noise than the overlap of the bands "
                        "suggests.</p>"};
  if (files.compare_months_csv.empty()) {
    charts.intro_html +=
        "<p class=\"note\">This folder has no compare_months.csv (written by <code>flywheel "
        "compare</code> since reports exist): run the comparison again to draw the months.</p>";
  } else {
    std::vector<std::string> metrics;
    read_months(files.compare_months_csv, label_a, variant_labels, page.datasets, metrics);
    // Each side's mean field, when every side has one.
    std::map<std::string, std::string> expected;
    std::vector<const std::string*> csvs = {&files.expected_a_csv, &files.expected_b_csv};
    for (const std::string& more : files.expected_more) csvs.push_back(&more);
    bool mean_field = true;
    for (std::size_t i = 0; i < domain.size(); ++i) {
      if (i >= csvs.size() || csvs[i]->empty()) {
        mean_field = false;
        break;
      }
      expected[domain[i].get<std::string>()] = *csvs[i];
    }
    if (mean_field) {
      add_expected_sides(expected, page.datasets["bands"]);
      charts.intro_html += many ? "<p>The dotted lines are each scenario's mean-field twin: its "
                                  "expected trajectory without randomness (expected_a.csv, "
                                  "expected_b.csv, ...; docs/mean_field.md).</p>"
                                : "<p>The dotted lines are each scenario's mean-field twin: its "
                                  "expected trajectory without randomness (expected_a.csv, "
                                  "expected_b.csv; docs/mean_field.md).</p>";
    }
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
    std::set<std::string> omitted;
    for (const Json& o : compare.value("omitted", Json::array())) {
      omitted.insert(o.value("metric", std::string()));
    }
    for (const std::string& metric : metrics) {
      if (omitted.count(metric) > 0) continue;  // 0 everywhere: the verdicts say so
      const MetricStyle style = report::metric_style(metric.substr(0, metric.find('@')));
      const bool line = mean_field && has_expected(metric);
      charts.charts.push_back(
          Chart{report::chart_id("ab-" + metric), report::compare_overlay_spec(metric, style, domain, line),
                {"bands"}});
      if (line) charts.charts.back().note_html = departure_note(page.datasets["bands"], metric);
      charts.charts.back().time = report::TimeAxis::months;
      charts.charts.push_back(Chart{report::chart_id("diff-" + metric),
                                    report::compare_difference_spec(metric, style, variant_domain), {"diffs"}});
      charts.charts.back().time = report::TimeAxis::months;
    }
  }
  page.sections.push_back(verdict_section(compare, variants));
  page.sections.push_back(report::bottom_line_section(compare, page.datasets, report::compare_colors()));
  page.sections.push_back(std::move(charts));
  page.sections.push_back(differences_section(variants));
  std::vector<report::LabelledChanges> sides = {{"A", changes_of(compare.contains("a") ? &compare["a"] : nullptr)}};
  for (const report::CompareVariant& v : variants) sides.push_back({v.label, changes_of(v.side)});
  report::add_schedule_markers(
      page, report::schedule_rows(sides, compared_months(compare, page.datasets)));
  return report::render_page(page);
}

}  // namespace flywheel
