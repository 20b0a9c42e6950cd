// The run report's retention: annual, cohort-based NRR, GRR and logo retention (what boards and
// benchmark reports quote), and the cohort retention triangle of cohorts.csv as heatmaps.
#include "report_charts.hpp"
#include "report_run_sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace flywheel::report {

namespace {

struct Annual {
  std::string_view metric, color;
};
constexpr std::array<Annual, 3> kAnnual = {
    {{"nrr_annual", "#2563eb"}, {"grr_annual", "#7c3aed"}, {"logo_retention_annual", "#059669"}}};

struct CohortKind {
  std::string_view kind, title, cohort_axis, age_axis;
};
constexpr std::array<CohortKind, 2> kCohortKinds = {
    {{"accounts", "Paying accounts by cohort", "Month of first payment",
      "Months since first payment"},
     {"users", "Active users by signup cohort", "Month of signup", "Months since signup"}}};

Chart heatmap_chart(const CohortKind& k, int months) {
  const Json tooltip = Json::array(
      {{{"field", "cohort"}, {"type", "quantitative"}, {"title", "cohort (month)"}},
       {{"field", "age"}, {"type", "quantitative"}, {"title", "months since"}},
       {{"field", "retained"},
        {"type", "quantitative"},
        {"title", "retained (mean)"},
        {"format", ".1%"}},
       {{"field", "p5"}, {"type", "quantitative"}, {"title", "5%"}, {"format", ".1%"}},
       {{"field", "p95"}, {"type", "quantitative"}, {"title", "95%"}, {"format", ".1%"}},
       {{"field", "size"},
        {"type", "quantitative"},
        {"title", "cohort size (mean)"},
        {"format", ",.0f"}},
       {{"field", "n"}, {"type", "quantitative"}, {"title", "replicates"}}});
  // Cells of one month each way: ages 0 .. months - 1 to the right, cohorts 1 .. months down.
  auto axis = [](const char* from, const char* to, std::string_view title, double lo, double hi,
                 bool reverse) {
    return std::pair{
        Json{{"field", from},
             {"type", "quantitative"},
             {"title", title},
             {"scale",
              {{"domain", {lo, hi}}, {"nice", false}, {"zero", false}, {"reverse", reverse}}},
             {"axis", {{"format", "d"}, {"tickMinStep", 1}, {"grid", false}}}},
        Json{{"field", to}}};
  };
  const auto [x, x2] = axis("a0", "a1", k.age_axis, -0.5, months - 0.5, false);
  const auto [y, y2] = axis("c0", "c1", k.cohort_axis, 0.5, months + 0.5, true);
  Json spec{{"title",
             {{"text", k.title},
              {"subtitle", "share of each cohort retained, months later; mean over replicates"}}},
            {"width", 400},
            {"height", 300},
            {"data", {{"name", "cohorts"}}},
            {"transform", Json::array({{{"filter", {{"field", "kind"}, {"equal", k.kind}}}},
                                       {{"calculate", "datum.age - 0.5"}, {"as", "a0"}},
                                       {{"calculate", "datum.age + 0.5"}, {"as", "a1"}},
                                       {{"calculate", "datum.cohort - 0.5"}, {"as", "c0"}},
                                       {{"calculate", "datum.cohort + 0.5"}, {"as", "c1"}}})},
            {"mark", {{"type", "rect"}}},
            {"encoding",
             {{"x", x},
              {"x2", x2},
              {"y", y},
              {"y2", y2},
              {"color",
               {{"field", "retained"},
                {"type", "quantitative"},
                {"title", "retained"},
                {"scale", {{"scheme", "viridis"}}},
                {"legend", {{"format", "~%"}}}}},
              {"tooltip", tooltip}}}};
  return Chart{chart_id("cohorts-" + std::string(k.kind)), std::move(spec), {"cohorts"}};
}

// cohorts.csv's rows with a defined share, of the kinds with a share above zero somewhere, as the
// "cohorts" dataset; returns those kinds.
std::vector<std::string> read_cohorts(const std::string& text, Json& rows) {
  Json all = Json::array();
  const CsvTable table = parse_csv(text, "cohorts.csv");
  const std::array<const char*, 8> names = {"kind", "cohort_month", "age_months", "cohort_size",
                                            "mean", "p5",           "p95",        "n"};
  std::array<int, 8> col{};
  for (std::size_t i = 0; i < names.size(); ++i) {
    col[i] = table.column(names[i]);
    if (col[i] < 0) throw_bad_file("cohorts.csv", fmt::format("no column {}", names[i]));
  }
  std::vector<std::string> kinds;
  for (const auto& row : table.rows) {
    const std::optional<double> mean = parse_number(row[col[4]]);
    if (!mean || !std::isfinite(*mean)) continue;
    const std::string& kind = row[col[0]];
    if (*mean != 0.0 && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      kinds.push_back(kind);
    }
    all.push_back(Json{{"kind", kind},
                       {"cohort", number_json(parse_number(row[col[1]]))},
                       {"age", number_json(parse_number(row[col[2]]))},
                       {"size", number_json(parse_number(row[col[3]]))},
                       {"retained", *mean},
                       {"p5", number_json(parse_number(row[col[5]]))},
                       {"p95", number_json(parse_number(row[col[6]]))},
                       {"n", number_json(parse_number(row[col[7]]))}});
  }
  // Only the kinds drawn: a kind whose every cell is zero would only weigh the page.
  for (Json& row : all) {
    if (std::find(kinds.begin(), kinds.end(), row["kind"].get<std::string>()) != kinds.end()) {
      rows.push_back(std::move(row));
    }
  }
  return kinds;
}

}  // namespace

Section retention_section(const Timeseries& ts, const std::string& cohorts_csv, Json& datasets) {
  Section section{
      "Retention",
      "<p>Annual and cohort-based, as boards and benchmark reports quote them: of the accounts "
      "paying 12 months before, the MRR they pay now over the MRR they paid then (NRR; GRR "
      "counts no account above its MRR then) and the share still paying (logo retention). "
      "Defined from month 13. Below, each cohort's retained share month by month.</p>"};
  const int months = last_month(ts);
  std::vector<std::string> silent;
  for (std::size_t i = 0; i < kAnnual.size(); ++i) {
    const MetricStyle style = metric_style(kAnnual[i].metric);
    if (says_nothing(series(ts, kAnnual[i].metric))) {
      silent.push_back(style.title);
      continue;
    }
    add_rows(datasets["timeseries"], ts, kAnnual[i].metric, style.title, static_cast<int>(i), true);
    Chart chart = metric_fan_chart(kAnnual[i].metric, style, std::string(kAnnual[i].color), months);
    // Three in a row; above the dashed 100%, a year-old book of accounts pays more than it did.
    chart.spec["width"] = 290;
    add_y_rule(chart.spec, 1);
    chart.spec["title"]["subtitle"] = "median, 50% and 90% of replicates; from month 13";
    section.charts.push_back(std::move(chart));
  }
  section.body_html += left_out_note(
      silent, months <= 12 ? "the horizon is 12 months or less: no account was paying 12 months "
                             "before any month"
                           : "undefined in every month: no account paid 12 months before");
  if (cohorts_csv.empty()) {
    section.body_html +=
        "<p class=\"note\">No cohort heatmaps: this folder has no cohorts.csv (written by "
        "<code>flywheel run</code> since cohorts exist). Run again, then <code>flywheel report "
        "DIR</code>.</p>";
    return section;
  }
  Json rows = Json::array();
  const std::vector<std::string> kinds = read_cohorts(cohorts_csv, rows);
  std::vector<std::string> empty;
  for (const CohortKind& k : kCohortKinds) {
    if (std::find(kinds.begin(), kinds.end(), k.kind) == kinds.end()) {
      empty.push_back(std::string(k.title));
      continue;
    }
    section.charts.push_back(heatmap_chart(k, months));
  }
  if (!empty.empty()) {
    section.body_html += left_out_note(empty, "no cohort, or none kept anyone, in any replicate");
  }
  if (!rows.empty()) datasets["cohorts"] = std::move(rows);
  return section;
}

}  // namespace flywheel::report
