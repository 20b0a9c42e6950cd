// Schedule markers of the run and compare reports: one row per month at which a schedule changes
// something, a rule layer on every time chart and on no other, each side's changes in compare.json.
// tests/browser/ checks that the rules are drawn.
#include "fixtures.hpp"

#include "report/report_schedule.hpp"

#include <flywheel/experiments/compare.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include "report_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

using namespace flywheel;
using report::Json;

namespace {

using test::report_data;

// The layer named "schedule" of a chart's spec (faceted or not), or null.
const nlohmann::json* schedule_layer(const nlohmann::json& spec) {
  const nlohmann::json& layered = spec.contains("facet") ? spec["spec"] : spec;
  if (!layered.contains("layer")) return nullptr;
  for (const auto& layer : layered["layer"]) {
    if (layer.value("name", "") == "schedule") return &layer;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("schedule markers: one row per month inside the horizon, A and B merged",
          "[report][schedule]") {
  const std::vector<ScheduleChange> a = {{0, "x.first", 1, 2},
                                         {6, "strategy.slg.reps", 10, 20},
                                         {6, "economics.ga_usd_per_month", 1000, 2500},
                                         {14, "strategy.slg.reps", 20, 30}};
  const std::vector<ScheduleChange> b = {{6, "strategy.slg.reps", 10, 20},
                                         {9, "strategy.slg.reps", 20, 40}};
  const Json rows = report::schedule_rows({{"A", a}, {"B", b}}, 14);
  REQUIRE(rows.size() == 2);  // month 0 is no change, month 14 is past the last boundary
  CHECK(rows[0]["month"] == 6);
  CHECK(rows[0]["after"] == 7);
  CHECK(rows[0]["title"] == "from month 7 (after month 6)");
  CHECK(rows[0]["changes"] ==
        "A and B: strategy.slg.reps: 10 → 20\nA: economics.ga_usd_per_month: 1,000 → 2,500");
  CHECK(rows[1]["month"] == 9);
  CHECK(rows[1]["changes"] == "B: strategy.slg.reps: 20 → 40");
  CHECK(report::schedule_rows({{"", a}}, 14)[0]["changes"] ==
        "strategy.slg.reps: 10 → 20\neconomics.ga_usd_per_month: 1,000 → 2,500");
}

TEST_CASE("run report: schedule markers on every time chart and on no other", "[report]") {
  Scenario s = test::small_plg(3, 5);  // marketing spend 2,000 -> 6,000 from month 6
  s.simulation.months = 14;
  const RunResult run = run_scenario(s);
  const nlohmann::json data = report_data(run_report_html(run, summarize_run(run)));
  REQUIRE(data["datasets"].contains("schedule_changes"));
  const nlohmann::json& rows = data["datasets"]["schedule_changes"];
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["month"] == 6);
  CHECK(rows[0]["changes"] == "strategy.marketing.spend_usd_per_month: 2,000 → 6,000");
  const std::set<std::string> time_charts = {"chart-arr-usd",
                                             "chart-mrr-usd",
                                             "chart-accounts-paying",
                                             "chart-active-users",
                                             "chart-users-by-stage",
                                             "chart-mrr-movements",
                                             "chart-spend-by-lever",
                                             "chart-burn-usd",
                                             "chart-cash-usd",
                                             "chart-cac-usd",
                                             "chart-cac-payback-months",
                                             "chart-ltv-to-cac",
                                             "chart-burn-multiple",
                                             "chart-cumulative-money",
                                             "chart-nrr-annual",
                                             "chart-grr-annual",
                                             "chart-logo-retention-annual",
                                             "chart-flow-months"};
  std::set<std::string> marked;
  for (const auto& chart : data["charts"]) {
    const std::string id = chart["id"];
    INFO(id);
    const nlohmann::json* layer = schedule_layer(chart["spec"]);
    const bool uses =
        std::count(chart["datasets"].begin(), chart["datasets"].end(), "schedule_changes") == 1;
    CHECK(uses == (layer != nullptr));
    if (layer == nullptr) continue;
    marked.insert(id);
    CHECK((*layer)["mark"]["type"] == "rule");
  }
  // Every time chart the page has is marked (the annual panels need more than 12 months).
  std::set<std::string> expected;
  for (const auto& chart : data["charts"]) {
    if (time_charts.count(chart["id"])) expected.insert(chart["id"]);
  }
  CHECK(marked == expected);
  CHECK(marked.count("chart-spend-by-lever") == 1);
  CHECK(marked.count("chart-mrr-movements") == 1);
  CHECK(marked.count("chart-users-by-stage") == 1);  // a facet: the rows look the month up

  // Without a schedule, no markers and no dataset.
  s.strategy.marketing.spend_usd_per_month = Schedule::constant(2000);
  const RunResult still = run_scenario(s);
  const nlohmann::json plain = report_data(run_report_html(still, summarize_run(still)));
  CHECK_FALSE(plain["datasets"].contains("schedule_changes"));
  for (const auto& chart : plain["charts"]) CHECK(schedule_layer(chart["spec"]) == nullptr);
}

TEST_CASE("compare report: each side's schedule changes from compare.json, marked", "[report]") {
  Scenario sa = test::small_plg(3, 5);
  sa.simulation.months = 10;
  Scenario sb = sa;
  sb.name = "more-later";
  sb.strategy.marketing.spend_usd_per_month = Schedule{{{0, 2000.0}, {6, 9000.0}}};
  const RunResult a = run_scenario(sa), b = run_scenario(sb);
  const RunSummary xa = summarize_run(a), xb = summarize_run(b);
  const std::vector<Metric> metrics = {Metric::arr_usd};
  const std::string json_text = compare_json_text(a, b, compare_runs(xa, xb, metrics, {10}));
  const nlohmann::json compare = nlohmann::json::parse(json_text);
  CHECK(compare["b"]["schedule_changes"][0] ==
        nlohmann::json{{"month", 6},
                       {"path", "strategy.marketing.spend_usd_per_month"},
                       {"from", 2000.0},
                       {"to", 9000.0}});
  CHECK(compare["months"] == 10);
  const nlohmann::json data = report_data(
      compare_report_html(CompareFiles{json_text, compare_months_csv_text(xa, xb, metrics), "", ""}));
  REQUIRE(data["datasets"]["schedule_changes"].size() == 1);
  CHECK(data["datasets"]["schedule_changes"][0]["changes"] ==
        "A: strategy.marketing.spend_usd_per_month: 2,000 → 6,000\n"
        "B: strategy.marketing.spend_usd_per_month: 2,000 → 9,000");
  for (const auto& chart : data["charts"]) CHECK(schedule_layer(chart["spec"]) != nullptr);
  // A compare.json written before it listed schedule changes: no markers, no error.
  nlohmann::json old = compare;
  old["a"].erase("schedule_changes");
  old["b"].erase("schedule_changes");
  old.erase("months");
  const nlohmann::json old_data = report_data(compare_report_html(CompareFiles{old.dump(), "", "", ""}));
  CHECK_FALSE(old_data["datasets"].contains("schedule_changes"));
}
