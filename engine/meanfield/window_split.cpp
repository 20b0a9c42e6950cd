// The activation window split at month ends (docs/mean_field.md "The activation window"), for
// windows of W = 0.9 to 1 month. An evaluator who signs up at phase p of month m (p in [0, 1))
// drops out at m + p + W. Those with p < s = 1 - W drop out within month m, at most s before its
// end: they drop out at its end. The others drop out in month m + 1 at phase p - s: over that
// month as a flow, their phases stretched from [0, 1 - s) to [0, 1). So the integrator never
// stops inside a month, where the conveyor stops at its half.
//
// Bin 0 holds the month's signups and cWinToMonthEnd their total time to the month's end (each
// signup adds 1 - its phase; evaluators' hazards take their share). At the month's end this
// gives the mean entry phase, and the month's signups are taken as spread over the month by a
// linear density of that mean. Bin 1 holds the cohort dropping out this month: cWinMass its
// people before any dropout, cWinMoment their total phase of dropping out; both decay at the
// evaluators' hazards, and the cohort drops out at the linear density those two give.
#include "community_block.hpp"
#include "people_sweep.hpp"

#include <algorithm>
#include <utility>

namespace flywheel::meanfield {

namespace {

// The month's signups of mean entry phase `mean` (clamped so that the density is not negative)
// split at phase s: the share entering after s, and their mean phase of dropping out next
// month, (p - s) / (1 - s), of a linear density 1 + a (p - 1/2).
std::pair<double, double> late_signups(double mean, double s) {
  const double a = 12.0 * (std::clamp(mean, 1.0 / 3.0, 2.0 / 3.0) - 0.5);
  const double share = (1.0 - s) * (1.0 + 0.5 * a * s);
  if (!(share > 0.0)) return {0.0, 0.0};
  const double moment = (1.0 - s * s) / 2.0 + a * ((1.0 - s * s * s) / 3.0 - (1.0 - s * s) / 4.0);
  return {std::clamp(share, 0.0, 1.0), std::clamp((moment / share - s) / (1.0 - s), 0.0, 1.0)};
}

}  // namespace

double split_window(const Twin& twin, State& y) {
  double dropouts = 0.0;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = 0; plan < twin.plans; ++plan) {
      for (int group = kFirst; group <= kRest; ++group) {
        const People<double> b = twin.people(y, k, plan, group);
        const double month = std::max(0.0, b[cEvaluator]);
        // Last month's cohort has dropped out but for the rounding of the flow (and, in month
        // 0, the evaluators at the start).
        double out = std::max(0.0, b[cEvaluator + 1]);
        double late = 0.0, phase = 0.0;
        if (month > 0.0) {
          const auto [share, mean_phase] =
              late_signups(1.0 - b[cWinToMonthEnd] / month, twin.window_split);
          late = share * month;
          phase = mean_phase * late;
          out += month - late;
        }
        b[cChurnedNever] += out;
        dropouts += out;
        b[cEvaluator] = 0.0;
        b[cWinToMonthEnd] = 0.0;
        b[cEvaluator + 1] = late;
        b[cWinMass] = late;
        b[cWinMoment] = phase;
      }
    }
  }
  return dropouts;
}

FLYWHEEL_SWEEP void window_split_flows(const PeopleSweep& s, double hazard, double* churned_never,
                                       double* dropouts) {
  const double* on = s.row(rOn);
  const double u = s.twin.month_phase;
  const double* to_end = s.in(cWinToMonthEnd);
  const double* mass = s.in(cWinMass);
  const double* moment = s.in(cWinMoment);
  double* d_to_end = s.out(cWinToMonthEnd);
  double* d_mass = s.out(cWinMass);
  double* d_moment = s.out(cWinMoment);
  double* d_cohort = s.out(cEvaluator + 1);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < s.lanes; ++k) {
    const double g = on[k] * std::max(0.0, mass[k]);
    const double m = std::clamp(on[k] * moment[k], g / 3.0, 2.0 * g / 3.0);
    // The linear density of mean m / g at phase u, times g: never negative given the clamp.
    const double drop = std::max(0.0, g + 12.0 * (m - 0.5 * g) * (u - 0.5));
    d_to_end[k] -= hazard * on[k] * to_end[k];
    d_mass[k] -= hazard * g;
    d_moment[k] -= hazard * on[k] * moment[k];
    d_cohort[k] -= drop;
    churned_never[k] += drop;
    dropouts[k] = drop;
  }
  s.book(f_evaluator_dropouts, dropouts);
}

// Who enters bin 0 at this instant adds their time to the month's end.
FLYWHEEL_SWEEP void window_split_entries(const Twin& twin, double* to_end, const double* entering,
                                         std::size_t lanes) {
  const double left = 1.0 - twin.month_phase;
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) to_end[k] += left * entering[k];
}

}  // namespace flywheel::meanfield
