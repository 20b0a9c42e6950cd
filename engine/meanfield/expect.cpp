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
