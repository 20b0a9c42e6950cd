// `flywheel calibrate` (docs/calibrate.md), its pieces: the sampler's weighted quantile and
// systematic resampling, the data file's rules, the distance and early rejection. Whole runs are
// in test_calibrate_runs.cpp (threads, resume, MPI), test_calibrate_shards.cpp (--shard and
// --fold) and test_calibrate_recovery.cpp (honesty on synthetic data).
#include "calibrate_fixture.hpp"

#include <flywheel/common/errors.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;
using namespace flywheel::test::calibrate;

TEST_CASE("calibrate: weighted quantile and systematic resampling", "[calibrate]") {
  const std::vector<double> v = {3, 1, 2, 4};
  CHECK(abc::weighted_quantile(v, {1, 1, 1, 1}, 0.5) == 2);
  CHECK(abc::weighted_quantile(v, {0, 0, 0, 1}, 0.5) == 4);
  CHECK(abc::weighted_quantile(v, {1, 1, 1, 1}, 1.0) == 4);
  const std::vector<int> draws = abc::systematic_resample({0.5, 0.0, 0.25, 0.25}, 8, 0.5);
  CHECK(draws == std::vector<int>{0, 0, 0, 0, 2, 2, 3, 3});
}

TEST_CASE("calibrate: the data file's rows and the distance", "[calibrate]") {
  const std::vector<Observation> rows = read_calibration_data(
      "# a comment\nmetric,month,value,sd,weight\nsignups,1,100,10,\nsignups,3,300,,2\n"
      "active_users,2,50,5,1\n",
      "d.csv", 12, SweepEngine::agent);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].month == 1);
  CHECK(rows[0].line == 3);
  CHECK(rows[0].weight == 1);
  CHECK(std::isnan(rows[1].sd));
  CHECK(rows[1].weight == 2);
  std::vector<MetricValues> months(3);
  for (auto& m : months) m.fill(0);
  months[0][static_cast<int>(Metric::signups)] = 110;  // data 100: +10
  months[2][static_cast<int>(Metric::signups)] = 300;  // exact
  months[1][static_cast<int>(Metric::active_users)] = 40;  // data 50: -10
  // scale: data: signups' scale (100 + 300) / 2 = 200, active_users' 50.
  const CalibrationDistance by_data(rows, DistanceSpec{});
  const double z1 = 10.0 / 200, z3 = -10.0 / 50;
  CHECK(by_data(months) == Approx(std::sqrt((z1 * z1 + z3 * z3) / 4)));
  const CalibrationDistance relative(rows, {DistanceSpec::Form::relative, DistanceSpec::Scale::data});
  CHECK(relative(months) == Approx(std::sqrt((0.01 + 0.04) / 4)));
  months[1][static_cast<int>(Metric::active_users)] = std::nan("");
  CHECK(std::isinf(by_data(months)));
}

TEST_CASE("calibrate: early rejection stops only runs whose first months exceed the bound",
          "[calibrate]") {
  const std::vector<Observation> rows = read_calibration_data(
      "metric,month,value\nsignups,1,100\nsignups,3,300\nactive_users,2,50\n", "d.csv", 12,
      SweepEngine::agent);
  std::vector<MetricValues> months(3);
  for (auto& m : months) m.fill(0);
  months[0][static_cast<int>(Metric::signups)] = 110;
  months[1][static_cast<int>(Metric::active_users)] = 40;
  months[2][static_cast<int>(Metric::signups)] = 300;
  const CalibrationDistance distance(rows, DistanceSpec{});
  const double whole = distance(months);
  // After month 2 the two terms so far are the whole sum: cut below it, never at or above.
  const std::vector<MetricValues> two(months.begin(), months.begin() + 2);
  CHECK(distance.exceeds(two, 0.99 * whole));
  CHECK_FALSE(distance.exceeds(two, whole));
  CHECK_FALSE(distance.exceeds(two, 1.01 * whole));
  // After month 1 only the first term counts.
  const std::vector<MetricValues> one(months.begin(), months.begin() + 1);
  const double first = std::sqrt((10.0 / 200) * (10.0 / 200) / 3);
  CHECK(distance.exceeds(one, 0.99 * first));
  CHECK_FALSE(distance.exceeds(one, 1.01 * first));
  // An undefined value so far is past any bound.
  std::vector<MetricValues> undefined = one;
  undefined[0][static_cast<int>(Metric::signups)] = std::nan("");
  CHECK(distance.exceeds(undefined, 1e100));

  // The month watch stops a replicate after the month it refuses; the months run are the
  // uninterrupted run's.
  const Scenario s = load_scenario_text(tiny_base(), "tiny.yaml", {}, ".");
  const ReplicateResult full = run_replicate(s, 0);
  int calls = 0;
  const ReplicateResult cut = run_replicate(s, 0, [&](const std::vector<MonthRecord>& so_far) {
    ++calls;
    CHECK(so_far.size() == static_cast<std::size_t>(calls));
    return so_far.size() < 5;
  });
  CHECK(calls == 5);
  REQUIRE(cut.months.size() == 5);
  for (std::size_t m = 0; m < 5; ++m)
    CHECK(cut.months[m] == full.months[m]);
}

TEST_CASE("calibrate: bad data rows are refused with file:line:col", "[calibrate]") {
  auto first_error = [](const std::string& csv) {
    try {
      read_calibration_data(csv, "d.csv", 12, SweepEngine::mean_field);
    } catch (const InputError& e) {
      return e.diagnostics().front().to_string();
    }
    return std::string("accepted");
  };
  CHECK(first_error("month,metric,value\n1,signups,inf\n").starts_with("d.csv:2:11: value:"));
  CHECK(first_error("month,metric,value\n1,median_ttv_days,3\n")
            .starts_with("d.csv:2:3: metric: median_ttv_days has no mean-field meaning"));
  CHECK(first_error("month,metric\n").starts_with("d.csv:1:1: missing column \"value\""));
  CHECK(first_error("month,metric,value\n1,signups,0,\n").starts_with("d.csv:2:1: 4 fields"));
  CHECK(first_error("month,metric,value,weight\n1,signups,1,0\n")
            .find("weight: every weight is 0") != std::string::npos);
}
