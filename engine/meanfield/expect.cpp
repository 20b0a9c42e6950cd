// flywheel::meanfield::expect: the scenario's expected trajectory (include/flywheel/meanfield/
// expect.hpp). The twin's state and right-hand side are in twin.hpp.
#include <flywheel/meanfield/expect.hpp>

#include "integrator.hpp"
#include "twin.hpp"

#include <fmt/format.h>

#include <cmath>
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
    const double w = s.funnel.activation_window_days / kDaysPerMonth;
    if (w >= kWindowSplitShortest && w <= 1.0) {
      out.push_back({"activation window",
                     fmt::format("each month's signups split at its end by entry phase (a linear "
                                 "density of their mean): the early ones drop out then, the "
                                 "others over the next month, up to {:.1f} days late",
                                 (1.0 - w) * kDaysPerMonth)});
    } else {
      out.push_back({"activation window",
                     "evaluators by age in bins of half a month (finer for short windows): a "
                     "cohort drops out at the window's length on average, spread over about a "
                     "bin"});
    }
  }
  if (s.funnel.teammate_invites_per_month > 0.0) {
    out.push_back({"teammate invites",
                   "each plan's accounts by their first signer and number of active others, a "
                   "master equation at the plan's rates (exact to 12 active others, share bins "
                   "above), so invites land where active users are; trials, contracts and "
                   "accounts of more than 257 people keep the Binomial closure; measured: breakout-100m's PQLs, paying accounts and ARR "
                   "within 4% of the agent model's at month 24 (they were 38%, 12% and 25% low); "
                   "free-tier beyond month 24 grows faster, accounts waiting in the reps' fluid "
                   "queue longer than first come, first served (docs/mean_field.md)"});
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
                 "active and paying accounts within about 10%; seats move with the accounts' "
                 "head-count changes at their reviews (monthly expansion and contraction "
                 "1.4-2.6x the agent model's at weekly steps, which nets changes within a "
                 "step); abandoned teams' cancellations overstated"});
  return out;
}

ExpectedRun expect(const Scenario& scenario, const ExpectOptions& options) {
  Twin twin(scenario);
  State y = twin.initial_state();
  ExpectedRun run;
  const int months = scenario.simulation.months;
  run.records.reserve(static_cast<std::size_t>(months));
  Integrator stepper(options.absolute_tolerance, options.relative_tolerance);
  auto system = [&twin](const State& x, State& dxdt, double t) { twin.rhs(x, dxdt, t); };
  // The window's shifts: window_shifts a month, the last of each month at its end. A month's
  // stocks are read half-way through that shift: the conveyor's evaluators stand there for
  // their time average, and the shift's dropouts are booked half in each of the two months.
  int shifts = 0;
  auto next_shift = [&] {
    return twin.window_shifts > 0 ? static_cast<double>(shifts + 1) / twin.window_shifts
                                  : months + 1.0;
  };
  // The annual cohorts: the tag of the accounts paying at the end of month e is in slot
  // (e + 1) mod 12 (the start is the end of month -1), read and started again twelve months on.
  std::array<AnnualBase, kAnnualTags> bases;
  bases[0] = start_tag(twin, y, 0);
  State start = y;     // the state the month's record starts from (the last month's record's;
                       // kept past the first month only with a community)
  State carry;         // the flows of last month's closing shift still to book (half of them)
  State before_shift;  // the state just before a month's closing shift
  for (int m = 0; m < months; ++m) {
    // Levers change at month boundaries: integrate month by month with this month's rates.
    twin.set_month(m);
    std::fill(y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at),
              y.begin() + static_cast<std::ptrdiff_t>(twin.flows_at + kFlows), 0.0);
    if (!carry.empty()) {
      for (int f = 0; f < kFlows; ++f) y[twin.flows_at + f] += carry[static_cast<std::size_t>(f)];
    }
    double t = m;
    while (t < m + 1) {
      const double until = std::min<double>(m + 1, next_shift());
      // Cash-Karp does not reuse its last stage's derivative (dopri5 does): the state jumps
      // at each shift and the rates at each month boundary, which would make it stale, and a
      // segment is mostly one step.
      stepper.integrate(system, y, t, until);
      t = until;
      if (t < m + 1) {
        twin.shift_window(y);
        ++shifts;
      }
    }
    const State* record_state = &y;
    if (twin.window_split_monthly) {  // the month's end and its dropouts belong to the month
      twin.shift_window(y);
      ++shifts;
    } else if (next_shift() <= m + 1 + 1e-9) {  // the month's closing shift, half in this month
      before_shift = y;
      twin.shift_window(y);
      ++shifts;
      carry.assign(kFlows, 0.0);
      for (std::size_t i = 0; i < y.size(); ++i) {
        const double half = 0.5 * (y[i] - before_shift[i]);
        before_shift[i] += half;
        if (i >= twin.flows_at && i < twin.flows_at + kFlows) carry[i - twin.flows_at] = half;
      }
      record_state = &before_shift;
    }
    run.records.push_back(month_record(twin, *record_state, start, run.records, m));
    // Past the first month only the community reads the state its month started from (the
    // others' start is in the last record): the whole state is copied only for it.
    if (twin.has_community) start = *record_state;
    const int slot = (m + 1) % kAnnualTags;
    if (m + 1 >= kAnnualTags) annual_record(twin, y, slot, bases[slot], run.records.back());
    bases[static_cast<std::size_t>(slot)] = start_tag(twin, y, slot);
  }
  run.approximations = approximations(scenario);
  run.evaluations = twin.evaluations;
  run.absolute_tolerance = options.absolute_tolerance;
  run.relative_tolerance = options.relative_tolerance;
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
