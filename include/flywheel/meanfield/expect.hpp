// The mean-field twin of a scenario: the expected trajectory of the same model, as deterministic
// ordinary differential equations in continuous time (Boost.Odeint), with the agent model's
// delays (activation windows, trials) as Erlang chains. Docs: docs/mean_field.md (what is exact,
// what is approximated and when it breaks); docking tests: tests/test_mean_field*.cpp.
//
// The twin reports through the agent model's own MonthRecord and derive_metrics, so every metric
// has one formula: its expected counts are held in fixed point (kMicro units per person, per
// account or per cent of MRR) and derived at a scale of 1 / kMicro, so that they come out in the
// real market's units.
#pragma once

#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <string>
#include <vector>

namespace flywheel::meanfield {

// Fixed-point units of the twin's MonthRecords: one real person (account, cent) is kMicro.
inline constexpr double kMicro = 1e6;

// What the twin cannot state exactly for this scenario, one line per mechanism in use (a network
// treated as well mixed, accounts by size class, windows as Erlang chains, ...): the reports and
// `flywheel expect` print them, docs/mean_field.md explains each.
struct Approximation {
  std::string mechanism;  // short name, e.g. "network"
  std::string note;       // one sentence: what is approximated and when it breaks
};

struct ExpectedRun {
  // Month 1 .. simulation.months: every metric's expected value; NaN where the metric is
  // undefined (a ratio over zero) or has no mean-field meaning (has_mean_field below).
  std::vector<MetricValues> months;
  std::vector<MonthRecord> records;  // the fixed-point records behind them (scale 1 / kMicro)
  std::vector<Approximation> approximations;
  std::size_t evaluations = 0;  // right-hand sides the integrator evaluated (its cost)
  double absolute_tolerance = 0, relative_tolerance = 0;  // the integrator's (ExpectOptions)
};

// The integrator's error control (Boost.Odeint's controlled Cash-Karp 5(4) stepper): per
// step, the local error of each state entry within absolute + relative x (|entry| + dt x
// |its derivative|). Entries are expected people, accounts and cents. At the defaults no metric
// of a shipped scenario moves by more than 1.6e-3 of its range over the months against runs at
// least 100 times tighter, the median by 1e-6 (docs/mean_field.md "Time").
struct ExpectOptions {
  double absolute_tolerance = 1e-2;
  double relative_tolerance = 1e-3;
};

// The expected trajectory of the scenario. Deterministic: no seed, no threads; identical bytes
// on every call. Throws InputError for what the twin cannot express at all (none so far).
ExpectedRun expect(const Scenario& scenario, const ExpectOptions& options = {});

// Whether the metric has a mean-field meaning (an expected count, flow or ratio of them); the
// others (medians of individual waits, referral cascades, cohort K) are NaN in ExpectedRun.
bool has_mean_field(Metric metric);

// The tidy table `month,metric,value` of `timeseries.csv`, for expected.csv.
std::string expected_csv(const ExpectedRun& run);

}  // namespace flywheel::meanfield
