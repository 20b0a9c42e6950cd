// Nonparametric bootstrap for the sensitivity indices: resampled unit indices from Philox and
// 95% percentile intervals (Efron & Tibshirani 1993, ch. 13).
#pragma once

#include <flywheel/common/rng.hpp>
#include <flywheel/experiments/sensitivity.hpp>

#include <vector>

namespace flywheel {

// `units` indices drawn uniformly with replacement from 0..units-1 for bootstrap round `round`
// (Decision::design, agent = round, step = design_draws::kBootstrapStep).
std::vector<int> bootstrap_resample(const RandomStreams& streams, int round, int units);

// estimate with the 2.5% and 97.5% quantiles (type 7) of the round estimates; NaN rounds (an
// index undefined on that resample, e.g. zero variance) are left out; none left gives NaN ends.
Interval bootstrap_interval(double estimate, std::vector<double> rounds);

}  // namespace flywheel
