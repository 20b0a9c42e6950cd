// Results that do not depend on the step (docs/model.md#time): Bass at week steps against its
// closed form, every shipped scenario at day against week steps, and monthly flows without the
// seasonality that months of 4 and 5 weekly steps would fake. Fixed seeds; tolerances are 4
// standard errors plus the stated allowance.
#include "fixtures.hpp"
#include "stylized.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace flywheel;
using test::MeanSe;

namespace {

double bass_closed_form(double p, double q, double t) {
  const double e = std::exp(-(p + q) * t);
  return (1 - e) / (1 + (q / p) * e);
}

std::string number(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

}  // namespace

TEST_CASE("Bass at week steps is within 0.5 percentage points of its closed form",
          "[docking][stochastic]") {
  // p from 0.001 to 0.1 and q up to 1 per month; the horizon runs until 98% have adopted (at
  // most 60 months). A small p makes the take-off a chance event: more people keep its spread
  // small.
  for (const double p : {0.001, 0.01, 0.1}) {
    for (const double q : {0.1, 0.38, 1.0}) {
      int months = 1;
      while (months < 60 && bass_closed_form(p, q, months) < 0.98) ++months;
      const int people = p < 0.01 ? 400000 : 100000;
      const Scenario s = load_scenario(test::source_path("scenarios/validation/bass.yaml"),
                                       {{"simulation.step", "week"},
                                        {"simulation.months", std::to_string(months)},
                                        {"simulation.replicates", "8"},
                                        {"market.people", std::to_string(people)},
                                        {"acquisition.innovation_p_per_month", number(p)},
                                        {"acquisition.imitation_q_per_month", number(q)}});
      const RunResult run = run_scenario(s);
      for (int m = 0; m < months; ++m) {
        const MeanSe adopted = test::across_replicates(run, m, [&](const MonthRecord& r) {
          return 1.0 - r.users_by_stage[static_cast<int>(Stage::unaware)] / double(people);
        });
        const double expected = bass_closed_form(p, q, m + 1.0);  // the month's true end
        INFO("p " << p << ", q " << q << ", month " << m + 1 << ": simulated " << adopted.mean
                  << " +- " << adopted.se << ", closed form " << expected);
        CHECK(std::abs(adopted.mean - expected) <= 0.005 + 4 * adopted.se);
      }
    }
  }
}

namespace {

// The scenario at `step` with about `simulated` people and `replicates` replicates.
Scenario at_step(const fs::path& file, const char* step, int simulated, int replicates) {
  const Scenario full = load_scenario(file.string());
  const std::int64_t people = std::min<std::int64_t>(
      full.market.people, std::int64_t{simulated} * full.simulation.agent_scale);
  Scenario s =
      load_scenario(file.string(), {{"simulation.step", step},
                                    {"market.people", std::to_string(people)},
                                    {"simulation.replicates", std::to_string(replicates)}});
  s.targets.clear();
  return s;
}

}  // namespace

TEST_CASE("every shipped scenario agrees between day and week steps", "[stochastic]") {
  // ARR, active users and paying accounts at the horizon: the means of day and week steps within
  // max(1%, 4 standard errors of their difference). Day steps cost 7.5 times week steps; these
  // sizes keep the whole case near a minute on two cores (docs/model.md#time has the figures
  // at full size).
  const std::array<Metric, 3> metrics = {Metric::arr_usd, Metric::active_users,
                                         Metric::accounts_paying};
  for (const fs::path& file : test::shipped_scenarios()) {
    const RunResult day = run_scenario(at_step(file, "day", 20000, 32));
    const RunResult week = run_scenario(at_step(file, "week", 20000, 32));
    const int horizon = day.scenario.simulation.months;
    for (const Metric metric : metrics) {
      auto at_horizon = [&](const RunResult& run) {
        return test::mean_over_replicates(
            run, [&](std::size_t r) { return test::reported(run, r, horizon, metric); });
      };
      const MeanSe d = at_horizon(day), w = at_horizon(week);
      if (d.mean == 0.0 && w.mean == 0.0) continue;  // a docking case that earns nothing
      INFO(file.filename().string()
           << ", " << metric_name(metric) << " at month " << horizon << ": day " << d.mean << " +- "
           << d.se << ", week " << w.mean << " +- " << w.se);
      CHECK(std::abs(w.mean - d.mean) <=
            std::max(0.01 * std::abs(d.mean), 4 * std::hypot(d.se, w.se)));
    }
  }
}

namespace {

// Per replicate, the mean ratio of each month's flow to its two neighbours' mean, by month index
// mod 3 (months 6 to 35, once the start has settled). A month that holds more steps than its
// neighbours shows as a ratio above 1 in its class.
std::array<MeanSe, 3> neighbour_ratios(const RunResult& run, Metric flow) {
  std::array<std::vector<double>, 3> by_class;
  for (std::size_t r = 0; r < run.replicates.size(); ++r) {
    std::array<double, 3> sum{}, n{};
    for (int m = 6; m < run.scenario.simulation.months; ++m) {
      const double before = test::reported(run, r, m - 1, flow);
      const double after = test::reported(run, r, m + 1, flow);
      if (!(before + after > 0)) continue;
      sum[m % 3] += test::reported(run, r, m, flow) / ((before + after) / 2);
      ++n[m % 3];
    }
    for (int c = 0; c < 3; ++c) by_class[c].push_back(n[c] > 0 ? sum[c] / n[c] : 1.0);
  }
  std::array<MeanSe, 3> out;
  for (int c = 0; c < 3; ++c) out[c] = test::mean_se(by_class[c]);
  return out;
}

}  // namespace

TEST_CASE("monthly flows of a stationary market show no seasonality at any step", "[stochastic]") {
  // The Markov case's constant hazards settle within a few months; its monthly flows then
  // change smoothly. With weekly steps of exactly 7 days, months of 5 steps raised the flows
  // of months 3, 6, 9, ... by a quarter: each class of months would stand apart.
  for (const char* step : {"day", "week", "month"}) {
    const Scenario s = load_scenario(
        test::source_path("scenarios/validation/markov.yaml"),
        {{"simulation.step", step}, {"simulation.months", "36"}, {"simulation.replicates", "8"}});
    const RunResult run = run_scenario(s);
    for (const Metric flow : {Metric::signups, Metric::activations, Metric::adoptions}) {
      const std::array<MeanSe, 3> ratio = neighbour_ratios(run, flow);
      for (int c = 0; c < 3; ++c) {
        INFO(step << " steps, " << metric_name(flow) << ", months " << c << " mod 3: ratio "
                  << ratio[c].mean << " +- " << ratio[c].se);
        // A smooth flow has ratios within 1% of 1; the fake seasonality was 25% and more.
        CHECK(std::abs(ratio[c].mean - 1.0) <= 0.01 + 4 * ratio[c].se);
      }
    }
  }
}
