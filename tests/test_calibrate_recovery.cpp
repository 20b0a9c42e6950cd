// The calibration's honesty on synthetic data made by the model itself at known parameters:
// wide marginals for parameters the data cannot tell apart, and recovery with coverage over many
// data sets (simulation-based calibration).
#include "calibrate_fixture.hpp"

#include <flywheel/common/rng.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

using flywheel::test::TempDir;
using namespace flywheel;
using namespace flywheel::test::calibrate;

namespace {

double log_of(double x) { return std::log(x); }

}  // namespace

// [heavy]: several hundred mean-field simulations (a minute or more on a shared machine).
TEST_CASE("calibrate: two parameters the data cannot tell apart stay wide along their ridge",
          "[calibrate][heavy]") {
  // Paid awareness is spend / cost per aware person: the data see only the ratio.
  const TempDir dir("calibrate_ridge");
  const std::vector<MetricValues> months =
      truth_run({{"strategy.marketing.spend_usd_per_month", "2000"},
                 {"strategy.marketing.cost_per_aware_usd", "2"}},
                false, 1);
  const std::string spec = write_calibration(
      dir, data_csv(months, {Metric::signups, Metric::active_users}, 12),
      "engine: mean_field\nseed: 5\nparameters:\n"
      "  strategy.marketing.spend_usd_per_month: {log_uniform: [500, 8000]}\n"
      "  strategy.marketing.cost_per_aware_usd: {log_uniform: [0.5, 8]}\n"
      "budget: {particles: 100, generations: 6}\nforecast: {draws: 10}\n");
  const CalibrationSpec s = load_calibration_spec(spec);
  run_calibration(s, (dir / "out").string(), {});
  const Posterior p = last_generation(dir / "out/posterior.csv");
  const double prior_width = std::log(16.0);
  // Each marginal: most of its prior's width (in ln), and the truth inside.
  for (std::size_t k : {std::size_t{1}, std::size_t{2}}) {
    const double lo = posterior_quantile(p, k, 0.05, log_of);
    const double hi = posterior_quantile(p, k, 0.95, log_of);
    CHECK(hi - lo > 0.5 * prior_width);
    CHECK(lo < std::log(k == 1 ? 2000.0 : 2.0));
    CHECK(hi > std::log(k == 1 ? 2000.0 : 2.0));
  }
  // Their ratio: narrow, around the truth (1000 aware people a month).
  std::vector<double> ratio, w;
  for (const auto& row : p.rows) {
    ratio.push_back(std::log(row[1] / row[2]));
    w.push_back(row[0]);
  }
  const double rlo = abc::weighted_quantile(ratio, w, 0.05);
  const double rhi = abc::weighted_quantile(ratio, w, 0.95);
  CHECK(rhi - rlo < 0.15 * 2 * prior_width);
  CHECK(rlo < std::log(1000.0));
  CHECK(rhi > std::log(1000.0));
}

TEST_CASE("calibrate: 90% credible intervals cover the truth over synthetic data sets",
          "[calibrate][stochastic]") {
  // Simulation-based calibration: the truth drawn from the prior, the data one agent-model run
  // at the truth (its Monte Carlo noise is the observation noise), the fit with one agent run
  // per particle. Over the data sets the 90% intervals must hold the truth 80-98% of the time,
  // and be clearly narrower than the prior. Eight generations: after four the tolerance is still
  // wide against the data's noise and the intervals over-cover (48 of 48, 30% of the prior's
  // width); after eight 47 of 48 (13%).
  constexpr int kDataSets = 24;
  int inside = 0, intervals = 0;
  double width_ratio = 0;
  const RandomStreams streams(2026, 18);
  for (int d = 0; d < kDataSets; ++d) {
    const auto words = streams.words(static_cast<std::uint32_t>(d), 0, Decision::calibration);
    const double signup = 0.1 + 0.5 * (words[0] / 4294967296.0);
    const double pql = 0.05 + 0.45 * (words[1] / 4294967296.0);
    const std::vector<MetricValues> months =
        truth_run({{"funnel.signup_per_month", fmt::format("{}", signup)},
                   {"strategy.plg.pql_conversion_per_month", fmt::format("{}", pql)},
                   {"market.people", "5000"},
                   {"simulation.months", "12"}},
                  true, 1000 + static_cast<std::uint32_t>(d));
    const TempDir dir("calibrate_sbc");
    const std::string spec = write_calibration(
        dir, data_csv(months, {Metric::signups, Metric::accounts_paying}, 12),
        fmt::format("engine: agent\nseed: {}\nset: {{market.people: 5000, simulation.months: 12}}\n"
                    "parameters:\n"
                    "  funnel.signup_per_month: {{uniform: [0.1, 0.6]}}\n"
                    "  strategy.plg.pql_conversion_per_month: {{uniform: [0.05, 0.5]}}\n"
                    "budget: {{particles: 100, generations: 8}}\nforecast: {{draws: 5}}\n",
                    d + 1));
    run_calibration(load_calibration_spec(spec), (dir / "out").string(), {});
    const Posterior p = last_generation(dir / "out/posterior.csv");
    const double truth[] = {signup, pql};
    const double prior[] = {0.5, 0.45};
    for (std::size_t k : {std::size_t{1}, std::size_t{2}}) {
      const double lo = posterior_quantile(p, k, 0.05), hi = posterior_quantile(p, k, 0.95);
      inside += lo <= truth[k - 1] && truth[k - 1] <= hi ? 1 : 0;
      width_ratio += (hi - lo) / (0.9 * prior[k - 1]);
      ++intervals;
    }
  }
  const double coverage = static_cast<double>(inside) / intervals;
  INFO("coverage " << coverage << ", mean width / prior's 90% width " << width_ratio / intervals);
  CHECK(coverage >= 0.80);
  CHECK(coverage <= 0.98);
  CHECK(width_ratio / intervals < 0.5);
}
