// flywheel::meanfield::expect: the scenario's expected trajectory (include/flywheel/meanfield/
// expect.hpp). The twin's state and right-hand side are in twin.hpp.
#include <flywheel/meanfield/expect.hpp>

#include "twin.hpp"

#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <array>
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

std::vector<Approximation> approximations(const Scenario& s) {
  std::vector<Approximation> out;
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
    out.push_back({"activation window",
                   "evaluators by age in bins of half a month (finer for short windows): a "
                   "cohort drops out at the window's length on average, spread over about a "
                   "bin"});
  }
  if (s.funnel.teammate_invites_per_month > 0.0) {
    out.push_back({"teammate invites",
                   "invites at the account plan's mean active users: the closure misses that "
                   "invitees land where actives are, so growth through invites is understated "
                   "(breakout-100m: ARR at month 24 a third below the agent model's)"});
  }
  if (s.strategy.plg.enabled && s.strategy.plg.trial.enabled) {
    out.push_back({"trials",
                   fmt::format("a trial of fixed length as an Erlang({}) delay of its mean "
                               "(trials converted 5-13% low on plg-trial-plus-sales); an inbound "
                               "lead at an account's first signup (while its trial starts) is "
                               "left out",
                               kTrialPhases)});
  }
  if (s.strategy.slg.enabled) {
    out.push_back(
        {"sales",
         fmt::format("the reps' queue as a fluid (deals taken at a hazard of one a day on "
                     "min(free slots, queue), one queue without the PQLs' priority); the "
                     "lognormal sales cycle, contract terms and ramps as Erlang({}) / "
                     "Erlang({}) / exponential delays of the same mean; cooling-off as an "
                     "exponential delay of recycle_months; deals won in a cancelled account "
                     "booked as new, not reactivation; leads and PQLs leave their plan with its "
                     "mean composition (slg-enterprise: ARR within 9%, paying accounts 2%, active "
                     "users 10%; plg-trial-plus-sales: the queue half the agent model's, free "
                     "active accounts up to 21% high)",
                     kCyclePhases, kTermPhases)});
    if (s.strategy.slg.true_up_months > 0) {
      out.push_back({"contract true-ups",
                     "in-term true-ups at the rate 1 / true_up_months, not on their dates, and "
                     "during a ramp too; seats raised to the closure's head count against the "
                     "block's mean seats"});
    }
  }
  out.push_back({"accounts",
                 "size classes (exact up to 8 people, 40% bins above) and the head-count "
                 "closure (first signer + Binomial others, given class and plan): PQLs, free "
                 "active and paying accounts within about 10%; monthly seat movements and "
                 "abandoned teams' cancellations overstated"});
  return out;
}

ExpectedRun expect(const Scenario& scenario, const ExpectOptions& options) {
  namespace odeint = boost::numeric::odeint;
  Twin twin(scenario);
  State y = twin.initial_state();
  ExpectedRun run;
  const int months = scenario.simulation.months;
  run.records.reserve(static_cast<std::size_t>(months));
  auto stepper = odeint::make_controlled<odeint::runge_kutta_dopri5<State>>(
      options.absolute_tolerance, options.relative_tolerance);
  auto system = [&twin](const State& x, State& dxdt, double t) { twin.rhs(x, dxdt, t); };
  // The window's shifts, between month boundaries where they fall.
  const double shift = twin.window_shifts > 0 ? 1.0 / twin.window_shifts : 0.0;
  // Shifts fall half an interval off the month ends, so that a month's end, where its stocks are
  // read, is where the conveyor's evaluators stand for their time average; every month holds
  // the same shifts.
  int shifts = 0;
  auto next_shift = [&] { return shift > 0.0 ? (shifts + 0.5) * shift : months + 1.0; };
  // The annual cohorts: the tag of the accounts paying at the end of month e is in slot
  // (e + 1) mod 12 (the start is the end of month -1), read and started again twelve months on.
  std::array<AnnualBase, kAnnualTags> bases;
  bases[0] = start_tag(twin, y, 0);
  for (int m = 0; m < months; ++m) {
    // Levers change at month boundaries: integrate month by month with this month's rates.
    twin.set_month(m);
    std::fill(y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at),
              y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at + kFlows), 0.0);
    const State start = y;
    double t = m;
    while (t < m + 1) {
      const double until = std::min<double>(m + 1, next_shift());
      if (until > t) {
        // The same stepper throughout (integrate_adaptive would copy its buffers on every
        // call), restarted at each segment: the state jumped at the shift or the rates at the
        // month boundary, so its last derivative is stale.
        stepper.reset();
        odeint::integrate_adaptive(std::ref(stepper), system, y, t, until, until - t);
      }
      t = until;
      if (t >= next_shift() - 1e-12) {
        twin.shift_window(y);
        ++shifts;
      }
    }
    run.records.push_back(month_record(twin, y, start, run.records, m));
    const int slot = (m + 1) % kAnnualTags;
    if (m + 1 >= kAnnualTags) annual_record(twin, y, slot, bases[slot], run.records.back());
    bases[static_cast<std::size_t>(slot)] = start_tag(twin, y, slot);
  }
  run.approximations = approximations(scenario);
  run.evaluations = twin.evaluations;
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
