// `flywheel compare`: paired statistics of two runs, the variance reduction of common random
// numbers, and the command's files and errors.
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <flywheel/experiments/compare.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace flywheel;
namespace fs = std::filesystem;

namespace {

// A summary of `values.size()` replicates and one month, where only `metric` is defined.
RunSummary one_metric(Metric metric, const std::vector<double>& values) {
  RunSummary s;
  for (double x : values) {
    MetricValues v;
    v.fill(std::numeric_limits<double>::quiet_NaN());
    v[static_cast<int>(metric)] = x;
    s.values.push_back({v});
  }
  return s;
}

RunResult run_hypothesis(const std::string& file, std::uint32_t seed) {
  Scenario s = load_scenario(test::source_path("scenarios/hypotheses/" + file));
  s.simulation.replicates = 12;
  s.simulation.months = 24;
  s.simulation.seed = seed;
  s.targets.clear();
  return run_scenario(s);
}

}  // namespace

TEST_CASE("compare: paired difference, lift and P(B>A) follow their formulas", "[compare]") {
  const RunSummary a = one_metric(Metric::arr_usd, {1, 2, 3, 4});
  const RunSummary b = one_metric(Metric::arr_usd, {2, 3, 4, 5});  // A + 1 in every replicate
  const Comparison c = compare_runs(a, b, {Metric::arr_usd}, {1}).at(0);
  CHECK(c.n == 4);
  CHECK(c.mean_a == Approx(2.5));
  CHECK(c.diff == Approx(1.0));
  CHECK(c.diff_lo == Approx(1.0));  // a constant difference has no spread
  CHECK(c.diff_hi == Approx(1.0));
  CHECK(c.lift == Approx(0.4));  // 3.5 / 2.5 - 1
  CHECK(c.p_b_greater == 1.0);
  // Delta method: var R = (var B + R^2 var A - 2 R cov) / (n A^2) = (5/3)(1 + 1.96 - 2.8) / 25,
  // so the lift's half-width is t(3) x 0.1033 = 0.329: the ratio moves with A's level.
  CHECK(c.lift_hi - c.lift == Approx(3.182446 * std::sqrt(5.0 / 3.0 * 0.16 / 25.0)).epsilon(1e-5));
  CHECK(verdict(c) ==
        "B raises arr_usd at month 1 by 40.0% (+$1/year; 95% CI 7.1% to 72.9%), P(B>A) = 1.00");

  // Noisy pairs: differences 1, -1, 2, 0 -> mean 0.5, sd 1.29, t(3) 3.182: CI 0.5 +- 2.054.
  const RunSummary noisy = one_metric(Metric::arr_usd, {2, 1, 5, 4});
  const Comparison d = compare_runs(a, noisy, {Metric::arr_usd}, {1}).at(0);
  CHECK(d.diff == Approx(0.5));
  CHECK(d.diff_hi - d.diff == Approx(3.182446 * std::sqrt(5.0 / 3.0) / 2).epsilon(1e-5));
  CHECK(d.p_b_greater == Approx(0.7807).epsilon(1e-3));  // Phi(0.5 / 0.6455)
  CHECK(verdict(d).rfind("no clear difference in arr_usd at month 1", 0) == 0);

  // Undefined values (NaN) leave their pair out.
  const RunSummary gaps =
      one_metric(Metric::arr_usd, {2, std::numeric_limits<double>::quiet_NaN(), 4, 5});
  CHECK(compare_runs(a, gaps, {Metric::arr_usd}, {1}).at(0).n == 3);

  // Against a negative baseline (burn that is profit) no relative lift: the verdict gives B - A.
  const RunSummary profit = one_metric(Metric::burn_usd, {-4, -4, -4, -4});
  const RunSummary less_profit = one_metric(Metric::burn_usd, {-2, -2, -2, -2});
  const Comparison e = compare_runs(profit, less_profit, {Metric::burn_usd}, {1}).at(0);
  CHECK(std::isnan(e.lift));
  CHECK(verdict(e) ==
        "B raises burn_usd at month 1 by $2/month (95% CI $2/month to $2/month), P(B>A) = 1.00");
}

TEST_CASE("compare: common random numbers shrink the standard error of the difference",
          "[compare][stochastic]") {
  const RunResult base = run_hypothesis("members-retain-50pct-longer-baseline.yaml", 7);
  const RunResult same = run_hypothesis("members-retain-50pct-longer.yaml", 7);
  const RunResult other = run_hypothesis("members-retain-50pct-longer.yaml", 8);
  const RunSummary a = summarize_run(base);
  auto half_width = [&](const RunResult& b) {
    const Comparison c = compare_runs(a, summarize_run(b), {Metric::active_users}, {24}).at(0);
    return c.diff_hi - c.diff;
  };
  const double paired = half_width(same), independent = half_width(other);
  INFO("95% half-width: common random numbers " << paired << ", independent seeds " << independent);
  CHECK(paired > 0);
  CHECK(independent > 3 * paired);
}

TEST_CASE("compare command: writes compare.json and compare.csv, refuses bad input",
          "[compare][cli]") {
  const test::TempDir dir("compare");
  const std::string a =
      test::source_path("scenarios/hypotheses/members-retain-50pct-longer-baseline.yaml");
  const std::string b = test::source_path("scenarios/hypotheses/members-retain-50pct-longer.yaml");
  auto run = [&](const std::string& args, const fs::path& out) {
    const std::string command = std::string(FLYWHEEL_CLI) + " compare '" + a + "' '" + b +
                                "' --replicates 3 --set simulation.months=13 --set targets=[] " +
                                "--quiet --out '" + out.string() + "' " + args +
                                " > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const fs::path good = dir.path() / "good";
  REQUIRE(run("--metrics arr_usd,active_users --months 6,13", good) == 0);
  const std::string csv = test::read_text(good / "compare.csv");
  CHECK(csv.rfind("metric,month,n,mean_a,mean_b,diff,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);  // header + 2 metrics x 2 months
  CHECK(test::read_text(good / "compare.json").find("\"verdict\"") != std::string::npos);
  // Every month of each metric for the report, with both sides' quantiles; the page itself.
  const std::string months = test::read_text(good / "compare_months.csv");
  CHECK(months.find(",p_b_greater,a_p5,a_p25,a_p50,a_p75,a_p95,b_p5,") != std::string::npos);
  CHECK(std::count(months.begin(), months.end(), '\n') == 1 + 2 * 13);
  const auto json = nlohmann::json::parse(test::read_text(good / "compare.json"));
  REQUIRE(json["differences"].size() == 1);
  CHECK(json["differences"][0]["path"] == "strategy.clg.member_churn_multiplier");
  CHECK(test::read_text(good / "report.html").find("id=\"chart-diff-active-users\"") !=
        std::string::npos);
  const fs::path quiet = dir.path() / "no-report";
  REQUIRE(run("--no-report", quiet) == 0);
  CHECK_FALSE(fs::exists(quiet / "report.html"));

  const fs::path bad = dir.path() / "bad";
  CHECK(run("--metrics arr", bad) == 2);
  CHECK(run("--months 14", bad) == 2);
  CHECK_FALSE(fs::exists(bad / "compare.json"));
}
