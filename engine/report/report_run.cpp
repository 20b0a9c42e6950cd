// The run report: summary.json, timeseries.csv and (optionally) cohorts.csv and replicates.csv
// of a run folder drawn as fan charts, MRR movements, the money, retention, histograms at the
// horizon, the flywheel's stage flow, target probabilities and the resolved scenario; every time
// chart marks the months at which the scenario's schedules change something.
#include "report_charts.hpp"
#include "report_page.hpp"
#include "report_run_sections.hpp"
#include "report_schedule.hpp"

#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace flywheel {

namespace {

using report::Chart;
using report::Json;
using report::MetricStyle;
using report::Section;

using report::add_rows;
using report::left_out_note;
using report::MonthStats;
using report::says_nothing;
using report::series;
using report::Timeseries;

constexpr std::array<std::string_view, 4> kHeadline = {"arr_usd", "mrr_usd", "accounts_paying",
                                                       "active_users"};
constexpr std::array<std::string_view, 4> kHeadlineColors = {"#2563eb", "#7c3aed", "#059669",
                                                             "#d97706"};
constexpr std::array<std::string_view, 7> kStages = {
    "users_unaware", "users_aware",    "users_evaluator", "users_beginner",
    "users_regular", "users_champion", "users_churned"};

Section growth_section(const Timeseries& ts, const report::Expected& expected, Json& datasets) {
  Json& rows = datasets["timeseries"];
  const bool mean_field = !expected.empty();
  Section section{"Growth",
                  mean_field ? "<p>Across replicates, month by month: the line is the median, the "
                               "bands hold the middle 50% and 90% of replicates; the dashed line "
                               "is the mean-field twin, the scenario's expected trajectory "
                               "without randomness (expected.csv, docs/mean_field.md).</p>"
                             : "<p>Across replicates, month by month: the line is the median, the "
                               "bands hold the middle 50% and 90% of replicates.</p>"};
  std::vector<std::string> silent;
  for (std::size_t i = 0; i < kHeadline.size(); ++i) {
    const MetricStyle style = report::metric_style(kHeadline[i]);
    if (says_nothing(series(ts, kHeadline[i]))) {
      silent.push_back(style.title);
      continue;
    }
    add_rows(rows, ts, kHeadline[i], style.title, static_cast<int>(i));
    report::add_expected(rows, kHeadline[i], expected);
    section.charts.push_back(report::metric_fan_chart(
        kHeadline[i], style, std::string(kHeadlineColors[i]), 0, mean_field));
    section.charts.back().note_html =
        report::mean_field_note(series(ts, kHeadline[i]), expected, kHeadline[i]);
  }
  std::vector<std::string> stages;
  for (std::size_t i = 0; i < kStages.size(); ++i) {
    const MetricStyle style = report::metric_style(kStages[i]);
    if (says_nothing(series(ts, kStages[i]))) {
      silent.push_back(style.title);
      continue;
    }
    add_rows(rows, ts, kStages[i], style.title, static_cast<int>(i));
    report::add_expected(rows, kStages[i], expected);
    stages.emplace_back(kStages[i]);
  }
  section.body_html += left_out_note(silent, "zero in every month and replicate");
  if (stages.empty()) return section;
  MetricStyle people = report::metric_style("users_aware");
  people.title = "People";
  Json spec{{"data", {{"name", "timeseries"}}},
            {"transform", Json::array({{{"filter", {{"field", "metric"}, {"oneOf", stages}}}}})},
            {"title",
             {{"text", "Users by flywheel stage"},
              {"subtitle", mean_field ? "people at month end; median with 50% and 90% bands; "
                            "dashed: mean field"
                          : "people at month end; median with 50% and 90% bands"}}},
            {"facet",
             {{"field", "label"},
              {"type", "nominal"},
              {"title", nullptr},
              {"sort", {{"field", "order"}, {"op", "min"}}}}},
            {"columns", 4},
            {"spec", report::fan_spec(people, "#0f766e", 210, 110, mean_field)},
            {"resolve", {{"scale", {{"y", "independent"}}}}}};
  spec["spec"].erase("title");
  // No "mean field" label in the small multiples: the subtitle says what the dashed line is,
  // and Vega-Lite cannot draw the label's joinaggregate inside a facet.
  Json& layers = spec["spec"]["layer"];
  for (auto it = layers.begin(); it != layers.end();) {
    const bool label = it->contains("mark") && (*it)["mark"].value("type", "") == "text";
    it = label ? layers.erase(it) : it + 1;
  }
  section.charts.push_back(Chart{"chart-users-by-stage", spec, {"timeseries"}, true});
  section.charts.back().time = report::TimeAxis::months;
  return section;
}

struct Movement {
  std::string_view metric, label, color;
  int sign;
};
constexpr std::array<Movement, 5> kMovements = {
    {{"mrr_new_usd", "new", "#16a34a", 1},
     {"mrr_expansion_usd", "expansion", "#22c55e", 1},
     {"mrr_reactivation_usd", "reactivation", "#0ea5e9", 1},
     {"mrr_contraction_usd", "contraction", "#f97316", -1},
     {"mrr_churned_usd", "churned", "#dc2626", -1}}};

Section movements_section(const Timeseries& ts, Json& datasets) {
  Json monthly = Json::array(), bridge = Json::array();
  std::map<int, double> net;
  std::array<double, kMovements.size()> totals{};
  for (std::size_t i = 0; i < kMovements.size(); ++i) {
    for (const MonthStats& s : series(ts, kMovements[i].metric)) {
      const double usd = std::isfinite(s.mean) ? kMovements[i].sign * s.mean : 0.0;
      monthly.push_back(
          Json{{"month", s.month}, {"movement", kMovements[i].label}, {"order", i}, {"usd", usd}});
      net[s.month] += usd;
      totals[i] += usd;
    }
  }
  for (const auto& [month, usd] : net) {
    monthly.push_back(
        Json{{"month", month}, {"movement", "net new MRR"}, {"order", 9}, {"usd", usd}});
  }
  const auto& mrr = series(ts, "mrr_usd");
  const double end = mrr.empty() ? 0.0 : mrr.back().mean;
  double level = mrr.empty() || net.empty() ? 0.0 : mrr.front().mean - net.begin()->second;
  bridge.push_back(Json{{"step", "MRR at start"}, {"kind", "level"}, {"from", 0}, {"to", level}});
  for (std::size_t i = 0; i < kMovements.size(); ++i) {
    bridge.push_back(Json{{"step", std::string(kMovements[i].sign > 0 ? "+ " : "− ") +
                                       std::string(kMovements[i].label)},
                          {"kind", kMovements[i].sign > 0 ? "gain" : "loss"},
                          {"from", level},
                          {"to", level + totals[i]}});
    level += totals[i];
  }
  bridge.push_back(
      Json{{"step", fmt::format("MRR at month {}", mrr.empty() ? 0 : mrr.back().month)},
           {"kind", "level"},
           {"from", 0},
           {"to", end}});
  datasets["mrr_movements"] = std::move(monthly);
  datasets["mrr_bridge"] = std::move(bridge);

  Section section{"MRR movements",
                  "<p>Mean over replicates (USD per month). Gains stack above zero, losses below; "
                  "the black line is the net new MRR. The bridge adds them up over the whole "
                  "horizon: MRR_end = MRR_start + new + expansion + reactivation − contraction "
                  "− churned.</p>"};
  const bool revenue = end != 0.0 || std::any_of(totals.begin(), totals.end(),
                                                 [](double usd) { return usd != 0.0; });
  if (!revenue) {
    section.intro_html =
        "<p class=\"note\">Not drawn: this scenario books no revenue (MRR and every MRR "
        "movement are zero in every month).</p>";
    return section;
  }
  Json domain = Json::array(), range = Json::array();
  for (const Movement& m : kMovements) {
    domain.push_back(m.label);
    range.push_back(m.color);
  }
  domain.push_back("net new MRR");
  range.push_back("#111827");
  section.charts.push_back(
      Chart{"chart-mrr-movements",
            report::movements_spec(domain, range, mrr.empty() ? 0 : mrr.back().month),
            {"mrr_movements"},
            true});
  section.charts.back().time = report::TimeAxis::month_bands;
  section.charts.push_back(Chart{"chart-mrr-bridge", report::bridge_spec(), {"mrr_bridge"}});
  return section;
}

// Final values per replicate: summary.json's final_by_replicate, else replicates.csv's last
// month. Empty when neither is there.
std::map<std::string, std::vector<double>> final_values(const Json& summary,
                                                        const std::string& replicates_csv) {
  std::map<std::string, std::vector<double>> out;
  if (summary.contains("final_by_replicate")) {
    for (const auto& [metric, values] : summary["final_by_replicate"].items()) {
      for (const Json& v : values) out[metric].push_back(v.is_number() ? v.get<double>() : NAN);
    }
    return out;
  }
  if (replicates_csv.empty()) return out;
  const report::CsvTable table = report::parse_csv(replicates_csv, "replicates.csv");
  const int month_col = table.column("month");
  const int months = summary.value("months", 0);
  for (const Metric metric : kFinalByReplicateMetrics) {
    const int col = table.column(metric_name(metric));
    if (col < 0 || month_col < 0) continue;
    auto& values = out[std::string(metric_name(metric))];
    for (const auto& row : table.rows) {
      if (report::parse_number(row[month_col]) == static_cast<double>(months)) {
        values.push_back(report::parse_number(row[col]).value_or(NAN));
      }
    }
  }
  return out;
}

Section histograms_section(const Json& summary, const std::string& replicates_csv, Json& datasets) {
  const int months = summary.value("months", 0);
  Section section{"At the horizon",
                  fmt::format("<p>Distribution over replicates at month {}; the dashed line is "
                              "the median.</p>",
                              months)};
  const auto finals = final_values(summary, replicates_csv);
  if (finals.empty()) {
    section.intro_html +=
        "<p class=\"note\">These histograms need each replicate's values: this folder's "
        "summary.json has no final_by_replicate and there is no replicates.csv. Run again with "
        "this flywheel, or with --replicates-csv, then <code>flywheel report DIR</code>.</p>";
    return section;
  }
  Json rows = Json::array();
  for (const Metric metric : kFinalByReplicateMetrics) {
    const std::string name(metric_name(metric));
    const auto it = finals.find(name);
    std::vector<double> values;
    if (it != finals.end()) {
      for (double v : it->second) {
        if (std::isfinite(v)) values.push_back(v);
      }
    }
    const MetricStyle style = report::metric_style(name);
    if (values.empty()) {
      section.body_html += fmt::format("<p>{}: undefined in every replicate at month {}.</p>",
                                       report::escape_html(style.title), months);
      continue;
    }
    if (std::all_of(values.begin(), values.end(), [](double v) { return v == 0.0; })) {
      section.body_html += fmt::format("<p>{}: zero in every replicate at month {}.</p>",
                                       report::escape_html(style.title), months);
      continue;
    }
    for (double v : values) rows.push_back(Json{{"metric", name}, {"value", v}});
    section.charts.push_back(Chart{report::chart_id("hist-" + name),
                                   report::histogram_spec(name, style, values, months),
                                   {"finals"}});
  }
  datasets["finals"] = std::move(rows);
  return section;
}

}  // namespace

std::string run_report_html(const RunFiles& files) {
  const Json summary = report::parse_json(files.summary_json, "summary.json");
  const Timeseries ts = report::read_timeseries(files.timeseries_csv);
  const report::Expected expected =
      files.expected_csv.empty() ? report::Expected{} : report::read_expected(files.expected_csv);
  const Json& scenario = summary.contains("scenario") ? summary["scenario"] : Json::object();
  report::Page page;
  page.title = scenario.value("name", std::string("run"));
  page.kind = "run report";
  page.facts = {{"seed", summary.contains("seed") ? summary["seed"].dump() : "?"},
                {"replicates", summary.contains("replicates") ? summary["replicates"].dump() : "?"},
                {"months", summary.contains("months") ? summary["months"].dump() : "?"},
                {"scenario file", scenario.value("file", std::string())},
                {"run by flywheel", summary.value("flywheel_version", std::string("?"))}};
  page.sections.push_back(growth_section(ts, expected, page.datasets));
  page.sections.push_back(movements_section(ts, page.datasets));
  page.sections.push_back(report::money_section(ts, page.datasets));
  page.sections.push_back(report::retention_section(ts, files.cohorts_csv, page.datasets));
  if (report::has_community(ts)) {
    page.sections.push_back(report::community_section(ts, page.datasets));
  }
  page.sections.push_back(histograms_section(summary, files.replicates_csv, page.datasets));
  page.sections.push_back(report::stage_flow_section(
      [&](std::string_view metric) {
        std::vector<std::pair<int, double>> out;
        for (const MonthStats& s : series(ts, metric)) out.emplace_back(s.month, s.mean);
        return out;
      },
      page.datasets));
  page.sections.push_back(report::targets_section(summary, page.datasets));
  page.sections.push_back(report::scenario_section(scenario));
  const Json& resolved = scenario.contains("resolved") ? scenario["resolved"] : Json::object();
  report::add_schedule_markers(
      page, report::schedule_rows({{"", schedule_changes(resolved)}}, summary.value("months", 0)));
  return report::render_page(page);
}

std::string run_report_html(const RunResult& run, const RunSummary& summary) {
  return run_report_html(RunFiles{summary_json_text(run, summary), timeseries_csv_text(summary),
                                  std::string(), cohorts_csv_text(run), std::string()});
}

}  // namespace flywheel
