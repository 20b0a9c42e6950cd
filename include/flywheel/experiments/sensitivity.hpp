// Global sensitivity indices from model outputs on the designs of designs.hpp: Sobol first-order
// and total indices (Saltelli design) and Morris elementary effects, each with 95% bootstrap
// percentile intervals. Pure functions; the bootstrap is seeded (Decision::design, designs.hpp).
#pragma once

#include <flywheel/experiments/designs.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace flywheel {

// 95% bootstrap percentile interval: estimate from all the data, lo and hi the 2.5% and 97.5%
// quantiles (type 7) of the bootstrap estimates. With bootstrap = 0, lo and hi are NaN.
struct Interval {
  double estimate, lo, hi;
};

struct SobolIndices {
  std::vector<Interval> first, total;  // per dimension
  double variance;                     // V below, of the full sample
};

// y in saltelli_points order (base_samples * (dims + 2) values). Jansen (1999) estimators as in
// Saltelli et al. (2010) Table 2, N = base_samples:
//   V = population variance (divisor 2N) of the 2N values f(A), f(B);
//   S1_i = (V - 1/(2N) sum_j (f(B)_j - f(AB^i)_j)^2) / V;
//   ST_i = 1/(2N) sum_j (f(A)_j - f(AB^i)_j)^2 / V.
// The bootstrap resamples base samples j with replacement (all rows of j together) `bootstrap`
// times, seeded by `seed`. Any NaN in y makes every field NaN (a failed run would bias the
// indices silently). A constant y (V = 0) gives NaN indices. Throws std::invalid_argument on a
// size mismatch or base_samples < 1, dims < 1, bootstrap < 0.
SobolIndices sobol_indices(std::span<const double> y, int base_samples, int dims, int bootstrap,
                           std::uint32_t seed);

struct MorrisIndices {
  std::vector<Interval> mu_star;  // mean |EE| (Campolongo et al. 2007), per dimension
  std::vector<double> mu, sigma;  // mean EE and its sample sd (divisor trajectories - 1)
};

// points and y in morris_points order. The elementary effect of row k + 1 of a trajectory is
// EE = (y_{k+1} - y_k) / (x_{k+1,i} - x_{k,i}) for the one dimension i the two rows differ in,
// found from the points (so the signed step needs no other input). The mu_star interval
// resamples whole trajectories. sigma is NaN with one trajectory; any NaN in y makes every field
// NaN. Throws std::invalid_argument on a size mismatch, or if a trajectory does not change
// exactly one dimension per row and each dimension once.
MorrisIndices morris_indices(const UnitPoints& points, std::span<const double> y, int trajectories,
                             int dims, int bootstrap, std::uint32_t seed);

}  // namespace flywheel
