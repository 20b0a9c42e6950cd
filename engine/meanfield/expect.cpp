// flywheel::meanfield::expect: the scenario's expected trajectory (include/flywheel/meanfield/
// expect.hpp). The twin's state and right-hand side are in twin.hpp.
#include <flywheel/meanfield/expect.hpp>

#include "twin.hpp"

#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace flywheel::meanfield {

bool has_mean_field(Metric metric) {
  switch (metric) {
    case Metric::median_ttv_days:   // a median of individual waits
    case Metric::cohort_k:          // descendants of individual signups
    case Metric::viral_cycle_days:  // waits between individual signups
      return false;
    default:
      return true;
  }
}

std::string expected_csv(const ExpectedRun& run) {
  std::string out = "month,metric,value\n";
  for (std::size_t m = 0; m < run.months.size(); ++m) {
    for (int i = 0; i < kMetricCount; ++i) {
      const double v = run.months[m][static_cast<std::size_t>(i)];
      // As timeseries.csv: shortest round-trip numbers, an empty field where undefined.
      out += fmt::format("{},{},{}\n", m + 1, metric_name(static_cast<Metric>(i)),
                         std::isfinite(v) ? fmt::format("{}", v) : std::string());
    }
  }
  return out;
}

namespace {

// Integration tolerances: absolute in people (accounts, cents), relative to the state.
constexpr double kAbsTolerance = 1e-4;
constexpr double kRelTolerance = 1e-7;

}  // namespace

std::vector<std::string> missing_mechanisms(const Scenario& s) {
  std::vector<std::string> out;
  if (s.strategy.slg.enabled) out.emplace_back("sales (strategy.slg)");
  if (s.strategy.plg.enabled && s.strategy.plg.trial.enabled) {
    out.emplace_back("trials (strategy.plg.trial)");
  }
  return out;
}

std::vector<Approximation> approximations(const Scenario& s) {
  std::vector<Approximation> out;
  for (const std::string& m : missing_mechanisms(s)) {
    out.push_back({m, "not in the mean field yet: its flows are left out and its metrics are 0"});
  }
  if (s.strategy.clg.enabled) {
    out.push_back({"community",
                   "market-level members by stage x level x motive; membership independent of "
                   "the person's account given the stage (the community acts through per-stage "
                   "average multipliers), trust and play conversion over independent active "
                   "users, support as a fluid queue; measured: members and the members' share "
                   "of users within 5% of the agent model to month 36, joins within 9%, support "
                   "answers 5-10% low (docs/mean_field.md \"Community\")"});
  }
  if (!s.network.well_mixed()) {
    out.push_back({"network",
                   "word of mouth at the degree-based mean-field rate, which for q s_i / k_i is the "
                   "well-mixed one: clustering and local saturation are left out (on a clustered "
                   "graph the agent model diffuses slower)"});
  }
  if (s.funnel.activation_window_days > 0.0) {
    out.push_back({"activation window", fmt::format("an Erlang({}) delay of the window's mean "
                                                    "length instead of a fixed one",
                                                    kWindowPhases)});
  }
  if (s.funnel.teammate_invites_per_month > 0.0) {
    out.push_back({"teammate invites",
                   "invites at the account plan's mean active users: the closure misses that "
                   "invitees land where actives are, so growth through invites is understated "
                   "(breakout-100m: ARR at month 24 a third below the agent model's)"});
  }
  out.push_back({"accounts",
                 "size classes (exact up to 16 people, 25% bins above) and the head-count "
                 "closure (first signer + Binomial others, given class and plan): PQLs, free "
                 "active and paying accounts within about 10%; monthly seat movements and "
                 "abandoned teams' cancellations overstated"});
  return out;
}

ExpectedRun expect(const Scenario& scenario) {
  namespace odeint = boost::numeric::odeint;
  Twin twin(scenario);
  State y = twin.initial_state();
  ExpectedRun run;
  const int months = scenario.simulation.months;
  run.records.reserve(static_cast<std::size_t>(months));
  auto stepper = odeint::make_controlled<odeint::runge_kutta_dopri5<State>>(kAbsTolerance,
                                                                            kRelTolerance);
  auto system = [&twin](const State& x, State& dxdt, double t) { twin.rhs(x, dxdt, t); };
  for (int m = 0; m < months; ++m) {
    // Levers change at month boundaries: integrate month by month with this month's rates.
    twin.set_month(m);
    std::fill(y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at),
              y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at + kFlows), 0.0);
    const State start = y;
    odeint::integrate_adaptive(stepper, system, y, double(m), double(m + 1), 0.05);
    run.records.push_back(month_record(twin, y, start, run.records, m));
  }
  run.approximations = approximations(scenario);
  for (const MonthRecord& r : run.records) {
    MetricValues v = derive_metrics(r, 1.0 / kMicro);
    for (int i = 0; i < kMetricCount; ++i) {
      if (!has_mean_field(static_cast<Metric>(i))) {
        v[static_cast<std::size_t>(i)] = std::numeric_limits<double>::quiet_NaN();
      }
    }
    run.months.push_back(v);
  }
  return run;
}

}  // namespace flywheel::meanfield
