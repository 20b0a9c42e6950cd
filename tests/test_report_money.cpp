// The run report's money and retention sections: what is drawn, from which months, and what is
// left out with a one-line note (a scenario that spends or earns nothing, annual figures of a
// short run, a folder without cohorts.csv). tests/browser/ checks the pages in Chromium.
#include "fixtures.hpp"

#include "report/report_run_sections.hpp"

#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>
#include "report_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <set>

using namespace flywheel;
using report::Json;

namespace {

using test::report_data;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// timeseries.csv with the given metrics over `months` months; value(metric, month) is the mean
// and every quantile (NaN: an empty field, as the run writes an undefined month).
std::string timeseries_text(const std::vector<std::string>& metrics, int months,
                            const std::function<double(const std::string&, int)>& value) {
  std::string csv = "month,metric,mean,sd,p5,p25,p50,p75,p95,n\n";
  for (int m = 1; m <= months; ++m) {
    for (const std::string& metric : metrics) {
      const double v = value(metric, m);
      const std::string f = std::isfinite(v) ? fmt::format("{}", v) : "";
      csv += fmt::format("{},{},{},0,{},{},{},{},{},3\n", m, metric, f, f, f, f, f, f);
    }
  }
  return csv;
}

const std::vector<std::string> kMoneyMetrics = {"spend_marketing_usd",
                                                "spend_sales_usd",
                                                "spend_community_usd",
                                                "spend_product_usd",
                                                "spend_referral_usd",
                                                "spend_ga_usd",
                                                "cogs_hosting_usd",
                                                "burn_usd",
                                                "cash_usd",
                                                "cac_usd",
                                                "cac_payback_months",
                                                "ltv_to_cac",
                                                "burn_multiple",
                                                "spend_cumulative_usd",
                                                "gross_profit_cumulative_usd"};

std::vector<std::string> chart_ids(const report::Section& section) {
  std::vector<std::string> ids;
  for (const report::Chart& c : section.charts) ids.push_back(c.id);
  return ids;
}

}  // namespace

TEST_CASE("money section: spend by the levers that spend; silent panels left out with a note",
          "[report]") {
  // Nothing spent or earned (the Bass docking case): one note, no chart.
  Json datasets = Json::object();
  const auto nothing =
      report::read_timeseries(timeseries_text(kMoneyMetrics, 24, [](const std::string& m, int) {
        return m.starts_with("ca") && m != "cash_usd" ? NAN : 0.0;
      }));
  const report::Section none = report::money_section(nothing, datasets);
  CHECK(none.charts.empty());
  CHECK(contains(none.intro_html, "Not drawn: this scenario spends nothing and books no revenue"));
  CHECK_FALSE(datasets.contains("spend"));

  // Marketing and R&D spend; CAC defined from month 4; no burn multiple.
  const auto some = report::read_timeseries(
      timeseries_text(kMoneyMetrics, 24, [](const std::string& m, int month) -> double {
        if (m == "spend_marketing_usd") return 1000;
        if (m == "spend_product_usd") return 5000;
        if (m == "burn_usd") return 5500;
        if (m == "cash_usd") return 1e6 - 5500 * month;
        if (m == "cac_usd" || m == "ltv_to_cac") return month < 4 ? NAN : 250;
        if (m == "cac_payback_months") return month < 4 ? NAN : (month < 8 ? 5000 : 20);
        if (m == "spend_cumulative_usd") return 6000 * month;
        if (m == "gross_profit_cumulative_usd") return 500 * month;
        return m == "burn_multiple" ? NAN : 0.0;
      }));
  datasets = Json::object();
  const report::Section section = report::money_section(some, datasets);
  CHECK(chart_ids(section) ==
        std::vector<std::string>{"chart-spend-by-lever", "chart-burn-usd", "chart-cash-usd",
                                 "chart-cac-usd", "chart-cac-payback-months", "chart-ltv-to-cac",
                                 "chart-cumulative-money"});
  CHECK(contains(section.body_html, "Not drawn: Burn multiple (zero or undefined"));
  std::set<std::string> levers;
  for (const Json& row : datasets["spend"]) levers.insert(row["lever"]);
  CHECK(levers == std::set<std::string>{"marketing", "R&D (product)"});
  CHECK(datasets["spend"].size() == 2 * 24);
  // CAC rows start at its first defined month; the axis still spans the horizon.
  int first = 99;
  for (const Json& row : datasets["timeseries"]) {
    if (row["metric"] == "cac_usd") first = std::min(first, row["month"].get<int>());
  }
  CHECK(first == 4);
  const report::Chart& cac = section.charts[3];
  CHECK(cac.spec["encoding"]["x"]["scale"]["domain"] == Json::array({1, 24}));
  // Payback in the thousands while few accounts are new: the axis stops at 60 months.
  const report::Chart& payback = section.charts[4];
  CHECK(contains(payback.spec["title"]["subtitle"].get<std::string>(), "axis cut at 60"));
  CHECK(payback.spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == Json::array({0, 60}));
}

TEST_CASE("retention section: annual panels from month 13; cohort heatmaps; notes", "[report]") {
  const std::vector<std::string> annual = {"nrr_annual", "grr_annual", "logo_retention_annual"};
  const auto ts =
      report::read_timeseries(timeseries_text(annual, 30, [](const std::string& m, int month) {
        return month <= 12 ? NAN : (m == "nrr_annual" ? 1.05 : 0.9);
      }));
  std::string cohorts = "kind,cohort_month,age_months,cohort_size,mean,sd,p5,p25,p50,p75,p95,n\n";
  for (int c = 1; c <= 30; ++c) {
    for (int age = 0; c + age <= 30; ++age) {
      cohorts +=
          fmt::format("accounts,{},{},10,{},0,0.5,0.6,0.7,0.8,0.9,3\n", c, age, 1.0 - 0.01 * age);
      cohorts += fmt::format("users,{},{},0,,,,,,,,0\n", c, age);  // no signups
    }
  }
  Json datasets = Json::object();
  const report::Section section = report::retention_section(ts, cohorts, datasets);
  CHECK(chart_ids(section) == std::vector<std::string>{"chart-nrr-annual", "chart-grr-annual",
                                                       "chart-logo-retention-annual",
                                                       "chart-cohorts-accounts"});
  for (const Json& row : datasets["timeseries"]) CHECK(row["month"].get<int>() >= 13);
  CHECK(datasets["timeseries"].size() == 3 * 18);
  CHECK(datasets["cohorts"].size() == 30 * 31 / 2);  // the accounts' triangle only
  CHECK(section.charts[3].spec["mark"]["type"] == "rect");
  CHECK(contains(section.body_html, "Not drawn: Active users by signup cohort"));

  // A 12-month run: annual figures never defined; a folder without cohorts.csv.
  const auto short_run = report::read_timeseries(
      timeseries_text(annual, 12, [](const std::string&, int) { return NAN; }));
  datasets = Json::object();
  const report::Section empty = report::retention_section(short_run, "", datasets);
  CHECK(empty.charts.empty());
  CHECK(contains(empty.body_html, "the horizon is 12 months or less"));
  CHECK(contains(empty.body_html, "this folder has no cohorts.csv"));
}

TEST_CASE("run report: the money and retention sections from a run's files", "[report]") {
  Scenario s = test::small_plg(3, 5);
  s.simulation.months = 16;
  s.economics.product_spend_usd_per_month = Schedule::constant(3000);
  s.economics.starting_cash_usd = 500000;
  const RunResult run = run_scenario(s);
  const RunSummary summary = summarize_run(run);
  const std::string html = run_report_html(run, summary);
  const nlohmann::json data = report_data(html);
  std::set<std::string> ids;
  for (const auto& chart : data["charts"]) ids.insert(chart["id"]);
  for (const char* id :
       {"chart-spend-by-lever", "chart-burn-usd", "chart-cash-usd", "chart-cumulative-money",
        "chart-cohorts-accounts", "chart-cohorts-users"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  CHECK(contains(html, "<h2>Money</h2>"));
  CHECK(contains(html, "<h2>Retention</h2>"));
  // From the folder's files: the same page; without cohorts.csv, a note instead of heatmaps.
  RunFiles files{summary_json_text(run, summary), timeseries_csv_text(summary), "",
                 cohorts_csv_text(run), ""};
  CHECK(run_report_html(files) == html);
  files.cohorts_csv.clear();
  const std::string old = run_report_html(files);
  CHECK(contains(old, "this folder has no cohorts.csv"));
  CHECK_FALSE(contains(old, "chart-cohorts-accounts"));
}
