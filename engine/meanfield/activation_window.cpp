// The activation window in the twin (docs/mean_field.md "The activation window"): evaluators
// by age in bins that shift a whole number of times a month, a cohort dropping out in two
// portions timed so that its mean age at dropping out is the window. Here: the conveyor's
// shifts and dropout from the window's length (or, for windows of 0.9 to 1 month, the split at
// month ends of window_split.cpp), the evaluators at the start, and the shift.
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

void lay_out_window(Twin& twin) {
  // The window's conveyor: q shifts a month (half-month bins, finer for windows under a
  // month's quarter), a cohort entering between two shifts is k - 1/2 shift intervals old on
  // average at its k-th shift; it drops `early` at shift k0 and the rest at k0 + 1, so that its
  // mean age at dropping out is W: (k0 - 1/2) early + (k0 + 1/2) (1 - early) = W / h.
  const double w = twin.model.window_months;
  if (w >= kWindowSplitShortest && w <= 1.0) {
    // One shift a month, at its end: bin 0 the month's signups, bin 1 the cohort dropping out.
    twin.window_split_monthly = true;
    twin.window_shifts = 1;
    twin.window_drop = 1;
    twin.window_split = 1.0 - w;
    return;
  }
  if (w > 0.0) {
    int q = std::max(2, static_cast<int>(std::ceil(1.0 / (2.0 * w))));
    while (q > 1 && w * q + 0.5 >= kWindowBins - 1) --q;  // long windows: coarser bins
    const double age = w * q;                              // the window in shift intervals
    twin.window_shifts = q;
    twin.window_drop = std::min(kWindowBins - 1, static_cast<int>(std::floor(age + 0.5)));
    twin.window_early = std::clamp(twin.window_drop + 0.5 - age, 0.0, 1.0);
  }
}

void window_initial(const Twin& twin, State& y) {
  // People who start as evaluators signed up just before the start. Shifts fall at multiples
  // of the shift interval, the start being one: the conveyor's rule (a cohort is k - 1/2
  // intervals old at its k-th shift) holds for them when half of them start one bin up. Split
  // at month ends, they are in bin 1 with none of them dropping out before month 0's end.
  if (twin.window_shifts == 0) return;
  const double up = twin.window_split_monthly ? 1.0 : 0.5;  // the share starting in bin 1
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = 0; plan < twin.plans; ++plan) {
      for (int group = kFirst; group <= kRest; ++group) {
        const People<double> e = twin.people(y, k, plan, group);
        e[cEvaluator + 1] += up * e[cEvaluator];
        e[cEvaluator] *= 1.0 - up;
      }
    }
  }
}

// At each shift instant (expect.cpp), between integrations.
void Twin::shift_window(State& y) const {
  double dropouts = 0.0, evaluators = 0.0;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    for (int plan = 0; plan < plans; ++plan) {
      for (int group = kFirst; group <= kRest; ++group) {
        const People<double> b = people(y, k, plan, group);
        for (int i = 0; i < bins; ++i) evaluators += b[cEvaluator + i];
        if (window_split_monthly) continue;
        auto e = [&](int i) -> double& { return b[cEvaluator + i]; };
        // Bin i holds the cohorts that have seen i shifts; this shift is their (i + 1)-th.
        const int k0 = window_drop;
        const double out = window_early * e(k0 - 1) + e(k0);
        e(k0) = (1.0 - window_early) * e(k0 - 1);
        for (int i = k0 - 1; i > 0; --i) e(i) = e(i - 1);
        e(0) = 0.0;
        b[cChurnedNever] += out;
        dropouts += out;
      }
    }
  }
  if (window_split_monthly) dropouts = split_window(*this, y);
  y[flows_at + f_evaluator_dropouts] += dropouts;
  if (has_community && evaluators > 0.0) community_window_dropouts(*this, y, dropouts / evaluators);
}

}  // namespace flywheel::meanfield
