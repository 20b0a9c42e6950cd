// `flywheel compare A B C ...`: cumulative outputs, the bottom line (gross profit - spend, cash
// low point, payback month of the difference), units on differences, all-zero metrics left out,
// and N-way files whose B rows equal a two-way compare's byte for byte.
#include "cli_run.hpp"
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/compare.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>

using namespace flywheel;
using flywheel::test::contains;
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A summary of replicates x months where gross profit, spend and cash follow `gp`, `spend`
// (per replicate, per month) and cash = 100 + cumulative (gp - spend); other metrics NaN.
RunSummary money(const std::vector<std::vector<double>>& gp,
                 const std::vector<std::vector<double>>& spend) {
  RunSummary s;
  const std::size_t months = gp.front().size();
  for (std::size_t r = 0; r < gp.size(); ++r) {
    std::vector<MetricValues> row;
    double cash = 100;
    for (std::size_t m = 0; m < months; ++m) {
      MetricValues v;
      v.fill(kNaN);
      v[static_cast<int>(Metric::gross_profit_usd)] = gp[r][m];
      v[static_cast<int>(Metric::spend_total_usd)] = spend[r][m];
      cash += gp[r][m] - spend[r][m];
      v[static_cast<int>(Metric::cash_usd)] = cash;
      row.push_back(v);
    }
    s.values.push_back(row);
  }
  s.by_month.resize(months);
  for (std::size_t m = 0; m < months; ++m) {
    for (int k = 0; k < kMetricCount; ++k) {
      std::vector<double> xs;
      for (const auto& row : s.values) xs.push_back(row[m][k]);
      s.by_month[m][k] = summarize(xs);
    }
  }
  return s;
}

std::string strip_variant(const std::string& csv, const std::string& variant) {
  std::istringstream in(csv);
  std::string line, out;
  std::getline(in, line);
  out += line.substr(line.find(',') + 1) + "\n";  // header without "variant,"
  while (std::getline(in, line)) {
    if (line.starts_with(variant + ",")) out += line.substr(variant.size() + 1) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("compare: a cumulative output is its sum over the months, compared at its last",
          "[compare]") {
  // A: gp 10, 20, 30 each month; B: 12, 22, 32 -> sums 60 and 66 in every replicate.
  const RunSummary a = money({{10, 20, 30}, {11, 21, 31}}, {{0, 0, 0}, {0, 0, 0}});
  const RunSummary b = money({{12, 22, 32}, {13, 23, 33}}, {{0, 0, 0}, {0, 0, 0}});
  const std::vector<OutputSpec> outputs = compare_outputs_by_name(
      {"arr_usd", "gross_profit_usd@sum:1-2", "gross_profit_usd@sum:2-3", "gross_profit_usd@last"});
  REQUIRE(outputs.size() == 3);
  const std::vector<Comparison> rows = compare_outputs(a, b, outputs, 3);
  CHECK(rows[0].name() == "gross_profit_usd@sum:1-2");
  CHECK(rows[0].month == 2);
  CHECK(rows[0].mean_a == Approx(31));  // (30 + 32) / 2
  CHECK(rows[0].diff == Approx(4));
  CHECK(rows[1].month == 3);
  CHECK(rows[1].mean_b == Approx(55));  // (54 + 56) / 2
  CHECK(rows[2].mean_a == Approx(30.5));
  CHECK(comparison_unit(rows[0]) == "USD");  // a per-month metric summed
  CHECK(verdict(rows[0]).starts_with("B raises gross_profit_usd@sum:1-2 by "));
  CHECK(contains(verdict(rows[0]), "+$4;"));
  // Its running value by month (the report's series): NaN before the range starts.
  const std::string csv = compare_months_csv_text(a, b, {}, {outputs[1]});
  CHECK(contains(csv, "\ngross_profit_usd@sum:2-3,1,0,"));
  CHECK(contains(csv, "\ngross_profit_usd@sum:2-3,3,2,51,55,4,"));
  // Plain metric names are not outputs, and bad outputs are refused.
  CHECK(compare_metrics_by_name({"arr_usd", "gross_profit_usd@sum:1-2"}).size() == 1);
  CHECK_THROWS_AS(compare_outputs_by_name({"gross_profit_usd@total"}), InputError);
}

TEST_CASE("compare: the bottom line adds gross profit - spend, finds the cash low point and "
          "the payback month of the difference",
          "[compare]") {
  // A: net 0 every month. B invests 30 in month 1, then earns 10 a month more:
  // cumulative B - A = -30, -20, -10, 0, 10 -> pays back from month 4.
  const RunSummary a = money({{5, 5, 5, 5, 5}, {5, 5, 5, 5, 5}}, {{5, 5, 5, 5, 5}, {5, 5, 5, 5, 5}});
  const RunSummary b =
      money({{5, 15, 15, 15, 15}, {5, 15, 15, 15, 15}}, {{35, 5, 5, 5, 5}, {35, 5, 5, 5, 5}});
  const BottomLine line = bottom_line(a, b, "B");
  CHECK(line.months == 5);
  CHECK(line.a.net == Approx(0));
  CHECK(line.b.net == Approx(10));
  CHECK(line.net.diff == Approx(10));
  CHECK(line.b.cash_low == Approx(70));  // 100 - 30 after month 1
  CHECK(line.b.cash_low_month == 1);
  CHECK(line.cash_low.diff == Approx(-30));
  REQUIRE(line.payback_month);
  CHECK(*line.payback_month == 4);
  const std::string text = bottom_line_text(line);
  CHECK(contains(text, "gross profit - spend over months 1-5: $10 (A $0; B - A +$10"));
  CHECK(contains(text, "payback of the difference: month 4"));

  // A difference that ends below 0 never pays back; one that dips again resets the month.
  const RunSummary late =
      money({{5, 15, 5, 15, 0}, {5, 15, 5, 15, 0}}, {{15, 5, 5, 5, 5}, {15, 5, 5, 5, 5}});
  // cumulative B - A: -10, 0, 0, 10, 0 -> stays >= 0 from month 2
  CHECK(bottom_line(a, late, "C").payback_month == 2);
  const RunSummary never =
      money({{5, 5, 5, 5, 5}, {5, 5, 5, 5, 5}}, {{6, 5, 5, 5, 5}, {6, 5, 5, 5, 5}});
  const BottomLine no = bottom_line(a, never, "B");
  CHECK_FALSE(no.payback_month);
  CHECK(contains(bottom_line_text(no), "not within 5 months"));
}

TEST_CASE("compare: differences carry units; all-zero metrics are recognised", "[compare]") {
  CHECK(with_unit(1234567, "USD") == "$1,235,000");
  CHECK(with_unit(-2500, "USD/month", true) == "-$2,500/month");
  CHECK(with_unit(0.021, "ratio", true) == "+2.1 pp");
  CHECK(with_unit(-0.005, "ratio") == "-0.5 pp");
  CHECK(with_unit(120, "people", true) == "+120 people");
  CHECK(with_unit(3, "accounts") == "3 accounts");
  CHECK(with_unit(2.5, "") == "2.5");
  const RunSummary a = money({{1, 2}}, {{0, 0}});
  RunSummary zero = a;
  for (auto& row : zero.values) {
    for (MetricValues& v : row) v[static_cast<int>(Metric::accounts_paying)] = 0;
  }
  CHECK(identically_zero({&zero, &zero}, Metric::accounts_paying));
  CHECK_FALSE(identically_zero({&zero, &a}, Metric::accounts_paying));  // NaN is not 0
  CHECK_FALSE(identically_zero({&zero}, Metric::gross_profit_usd));
}

TEST_CASE("compare command: A B C with a variant column; its B rows equal a two-way compare's",
          "[compare][cli]") {
  const test::CliWorkspace ws("compare-nway");
  const std::string a =
      test::source_path("scenarios/hypotheses/members-retain-50pct-longer-baseline.yaml");
  const std::string b = test::source_path("scenarios/hypotheses/members-retain-50pct-longer.yaml");
  const std::string common =
      " --replicates 3 --set simulation.months=13 --set targets=[] --threads 2 "
      "--metrics arr_usd,signups_referral,gross_profit_usd@sum:1-12 --months 6,13 ";
  // C: B with more members churning: another variant of the same base.
  ws.write("c.yaml", "extends: '" + b +
                         "'\nname: members-churn-more\nstrategy: {clg: {member_churn_multiplier: "
                         "0.9}}\n");
  const auto two = ws.run("compare '" + a + "' '" + b + "'" + common + "--out two");
  INFO(two.err);
  REQUIRE(two.code == 0);
  const auto three = ws.run("compare '" + a + "' '" + b + "' c.yaml" + common + "--out three");
  INFO(three.err);
  REQUIRE(three.code == 0);
  const fs::path w = ws.work();
  const std::string csv2 = test::read_text(w / "two" / "compare.csv");
  const std::string csv3 = test::read_text(w / "three" / "compare.csv");
  CHECK(csv2.starts_with("metric,month,n,"));
  CHECK(csv3.starts_with("variant,metric,month,n,"));
  CHECK(strip_variant(csv3, "B") == csv2);
  CHECK(contains(csv3, "\nC,arr_usd,6,3,"));
  CHECK(strip_variant(test::read_text(w / "three" / "compare_months.csv"), "B") ==
        test::read_text(w / "two" / "compare_months.csv"));
  // The zero metric: in the files (its numbers are true), not among the verdicts.
  CHECK(contains(csv2, "\nsignups_referral,6,3,0,0,0,"));
  CHECK(contains(two.out, "signups_referral: left out, 0 at every month of every replicate of "
                          "both scenarios"));
  CHECK_FALSE(contains(two.out, "in signups_referral"));
  CHECK(contains(three.out, "C: members-churn-more"));
  CHECK(contains(three.out, "P(C>A)"));
  CHECK(contains(three.out, "\nB: gross profit - spend over months 1-13: "));
  CHECK(contains(three.out, "\nC: gross profit - spend over months 1-13: "));
  CHECK(contains(three.out, "gross_profit_usd@sum:1-12"));

  const auto j2 = nlohmann::json::parse(test::read_text(w / "two" / "compare.json"));
  CHECK(j2["b"]["scenario"] == "members-retain-50pct-longer");
  CHECK(j2["bottom_line"]["variant"] == "B");
  CHECK(j2["bottom_line"]["cumulative_net_diff_usd"].size() == 13);
  CHECK(j2["omitted"][0]["metric"] == "signups_referral");
  for (const auto& c : j2["comparisons"]) CHECK(c["metric"] != "signups_referral");
  const auto j3 = nlohmann::json::parse(test::read_text(w / "three" / "compare.json"));
  REQUIRE(j3["variants"].size() == 2);
  CHECK(j3["variants"][1]["variant"] == "C");
  CHECK(j3["variants"][1]["scenario"] == "members-churn-more");
  CHECK(j3["variants"][0]["comparisons"] == j2["comparisons"]);
  CHECK(j3["variants"][0]["bottom_line"] == j2["bottom_line"]);
  CHECK(j3["variants"][1]["differences"][0]["path"] == "strategy.clg.member_churn_multiplier");
  CHECK(fs::exists(w / "three" / "expected_c.csv"));

  const std::string html = test::read_text(w / "three" / "report.html");
  CHECK(contains(html, "id=\"chart-bottom-line\""));
  CHECK(contains(html, "C: members-churn-more"));
  CHECK(contains(html, "variant − A"));
  CHECK_FALSE(contains(html, "id=\"chart-ab-signups-referral\""));  // all zero: no chart
  CHECK(contains(test::read_text(w / "two" / "report.html"), "id=\"chart-bottom-line\""));

  // One scenario is not a comparison; an output past the horizon is refused.
  CHECK(ws.run("compare '" + a + "' --out one").code != 0);
  const auto past = ws.run("compare '" + a + "' '" + b +
                           "' --set simulation.months=13 --set targets=[] --metrics "
                           "gross_profit_usd@sum:1-36 --out past");
  CHECK(past.code == 2);
  CHECK(contains(past.err, "gross_profit_usd@sum:1-36 reaches past the horizon"));
}
