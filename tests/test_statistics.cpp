#include <flywheel/output/statistics.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace flywheel;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One replicate whose months have these paying-account counts (everything else zero).
ReplicateResult paying_replicate(std::uint32_t id, const std::vector<std::int64_t>& paying) {
  ReplicateResult r;
  r.replicate = id;
  for (std::int64_t p : paying) {
    MonthRecord m;
    m.accounts_paying = p;
    r.months.push_back(m);
  }
  return r;
}

RunResult paying_run(const std::vector<std::vector<std::int64_t>>& series) {
  RunResult run;
  run.scenario.name = "paying";
  run.scenario.simulation.months = static_cast<int>(series.front().size());
  run.scenario.simulation.replicates = static_cast<int>(series.size());
  for (std::size_t r = 0; r < series.size(); ++r) {
    run.replicates.push_back(paying_replicate(static_cast<std::uint32_t>(r), series[r]));
  }
  return run;
}

Target paying_target(std::optional<double> at_least, std::optional<double> at_most, int by_month) {
  return Target{"accounts_paying", at_least, at_most, by_month};
}

// Replicate series for the target tests (months 1, 2, 3).
const std::vector<std::vector<std::int64_t>> kSeries = {
    {1, 6, 2},  // reaches >= 5 at month 2
    {1, 2, 3},  // never >= 5; in [2, 3] from month 2
    {7, 0, 0},  // >= 5 at month 1 only, then falls
    {0, 0, 0},
};

TargetResult target_result(const Target& target) {
  RunResult run = paying_run(kSeries);
  run.scenario.targets = {target};
  return summarize_run(run).targets.at(0);
}

}  // namespace

TEST_CASE("quantile_sorted interpolates between order statistics (type 7)", "[statistics]") {
  const std::vector<double> five = {10, 20, 30, 40, 50};
  CHECK(quantile_sorted(five, 0.0) == 10.0);
  CHECK(quantile_sorted(five, 0.05) == Approx(12.0));
  CHECK(quantile_sorted(five, 0.25) == 20.0);
  CHECK(quantile_sorted(five, 0.5) == 30.0);
  CHECK(quantile_sorted(five, 0.95) == Approx(48.0));
  CHECK(quantile_sorted(five, 1.0) == 50.0);

  const std::vector<double> eight = {1, 1, 2, 3, 4, 5, 6, 9};
  CHECK(quantile_sorted(eight, 0.25) == Approx(1.75));
  CHECK(quantile_sorted(eight, 0.5) == Approx(3.5));
  CHECK(quantile_sorted(eight, 0.75) == Approx(5.25));
  CHECK(quantile_sorted(eight, 0.95) == Approx(7.95));
}

TEST_CASE("quantile_sorted of one value is that value; of none is NaN", "[statistics]") {
  const std::vector<double> one = {4.5};
  CHECK(quantile_sorted(one, 0.05) == 4.5);
  CHECK(quantile_sorted(one, 0.95) == 4.5);
  CHECK(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST_CASE("summarize sorts, uses the sample sd and skips NaN", "[statistics]") {
  const std::vector<double> values = {3, 1, kNaN, 4, 1, 5, 9, 2, 6, kNaN};
  const Distribution d = summarize(values);
  CHECK(d.n == 8);
  CHECK(d.mean == Approx(31.0 / 8));
  CHECK(d.sd == Approx(std::sqrt(52.875 / 7)));  // squared deviations sum to 52.875
  CHECK(d.p5 == Approx(1.0));
  CHECK(d.p25 == Approx(1.75));
  CHECK(d.p50 == Approx(3.5));
  CHECK(d.p75 == Approx(5.25));
  CHECK(d.p95 == Approx(7.95));
}

TEST_CASE("summarize: sample sd divides by n - 1", "[statistics]") {
  const std::vector<double> values = {2, 4, 4, 4, 5, 5, 7, 9};  // population sd 2
  CHECK(summarize(values).sd == Approx(std::sqrt(32.0 / 7)));
}

TEST_CASE("summarize of one value has sd 0; of only NaN has n 0 and NaN fields", "[statistics]") {
  const std::vector<double> one = {kNaN, 7.0};
  const Distribution d1 = summarize(one);
  CHECK(d1.n == 1);
  CHECK(d1.mean == 7.0);
  CHECK(d1.sd == 0.0);
  CHECK(d1.p5 == 7.0);
  CHECK(d1.p95 == 7.0);

  const std::vector<double> none = {kNaN, kNaN};
  const Distribution d0 = summarize(none);
  CHECK(d0.n == 0);
  for (double v : {d0.mean, d0.sd, d0.p5, d0.p25, d0.p50, d0.p75, d0.p95}) CHECK(std::isnan(v));
}

TEST_CASE("summarize_run derives scaled metrics per replicate and month", "[statistics]") {
  RunResult run = paying_run({{5, 6}, {7, 8}, {9, 10}});
  run.scenario.simulation.agent_scale = 10;
  const RunSummary s = summarize_run(run);
  const int paying = static_cast<int>(Metric::accounts_paying);
  REQUIRE(s.values.size() == 3);
  REQUIRE(s.values[0].size() == 2);
  CHECK(s.values[2][1][paying] == 100.0);  // replicate 3, month 2: 10 accounts x scale 10
  REQUIRE(s.by_month.size() == 2);
  CHECK(s.by_month[0][paying].mean == Approx(70.0));
  CHECK(s.by_month[1][paying].mean == Approx(80.0));
  CHECK(s.by_month[1][paying].p50 == Approx(80.0));
  CHECK(s.by_month[1][paying].n == 3);
  // median_ttv_days is undefined (no activations) everywhere: n = 0.
  CHECK(s.by_month[0][static_cast<int>(Metric::median_ttv_days)].n == 0);
}

TEST_CASE("summarize_run refuses a replicate with the wrong number of months", "[statistics]") {
  RunResult run = paying_run({{1, 2}, {3, 4}});
  run.replicates[1].months.pop_back();
  CHECK_THROWS_AS(summarize_run(run), std::invalid_argument);
}

TEST_CASE("a target is reached at any month up to by_month, not only at the end", "[statistics]") {
  const TargetResult by3 = target_result(paying_target(5.0, std::nullopt, 3));
  CHECK(by3.reached == 2);  // replicates 1 and 3; replicate 3 falls back below afterwards
  CHECK(by3.replicates == 4);
  CHECK(by3.probability == 0.5);

  const TargetResult by1 = target_result(paying_target(5.0, std::nullopt, 1));
  CHECK(by1.reached == 1);  // month 2 of replicate 1 is past by_month
  CHECK(by1.probability == 0.25);
}

TEST_CASE("target bounds: at_most alone and at_least with at_most as a band", "[statistics]") {
  CHECK(target_result(paying_target(std::nullopt, 0.0, 3)).reached == 2);  // replicates 3, 4
  CHECK(target_result(paying_target(std::nullopt, 0.0, 1)).reached == 1);  // replicate 4
  // In [2, 3]: replicate 1 at month 3, replicate 2 at months 2-3; 7 and 0 are outside.
  CHECK(target_result(paying_target(2.0, 3.0, 3)).reached == 2);
  CHECK(target_result(paying_target(2.0, 3.0, 2)).reached == 1);
}

TEST_CASE("a target past the horizon counts every month; NaN never meets one", "[statistics]") {
  CHECK(target_result(paying_target(5.0, std::nullopt, 60)).reached == 2);
  const TargetResult ttv = target_result(Target{"median_ttv_days", std::nullopt, 1e9, 3});
  CHECK(ttv.reached == 0);
}

TEST_CASE("target on an unknown metric is an error, not a silent zero", "[statistics]") {
  RunResult run = paying_run(kSeries);
  run.scenario.targets = {Target{"arr_dollars", 1.0, std::nullopt, 3}};
  CHECK_THROWS_AS(summarize_run(run), std::invalid_argument);
}

TEST_CASE("target intervals are Wilson score 95% intervals", "[statistics]") {
  auto interval = [](int reached, int replicates) {
    std::vector<std::vector<std::int64_t>> series;
    for (int r = 0; r < replicates; ++r) series.push_back({r < reached ? 1 : 0});
    RunResult run = paying_run(series);
    run.scenario.targets = {paying_target(1.0, std::nullopt, 1)};
    return summarize_run(run).targets.at(0);
  };
  // Reference values: Wilson (1927) formula with z = 1.959963984540054, computed independently.
  const TargetResult none = interval(0, 10);
  CHECK(none.probability == 0.0);
  CHECK(none.lo == 0.0);
  CHECK(none.hi == Approx(0.2775327998628892).margin(1e-12));
  const TargetResult half = interval(5, 10);
  CHECK(half.lo == Approx(0.236593090512564).margin(1e-12));
  CHECK(half.hi == Approx(0.7634069094874361).margin(1e-12));
  const TargetResult all = interval(10, 10);
  CHECK(all.lo == Approx(0.7224672001371107).margin(1e-12));
  CHECK(all.hi == 1.0);
  const TargetResult some = interval(81, 263);
  CHECK(some.probability == Approx(81.0 / 263));
  CHECK(some.lo == Approx(0.2552885198782742).margin(1e-12));
  CHECK(some.hi == Approx(0.36620957698280004).margin(1e-12));
}
