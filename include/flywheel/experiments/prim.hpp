// PRIM, the Patient Rule Induction Method of Friedman & Fisher (1999), for scenario discovery:
// given cases x[i] (one value per dimension) and an outcome y[i] in [0, 1] (1: the case is of
// interest, e.g. a policy misses its target), find a box lo <= x <= hi where y is dense.
//
// Peeling: starting from the box of all cases, each step tries, for every dimension, removing the
// cases below its alpha-quantile or above its (1 - alpha)-quantile (within the box) and keeps the
// peel whose remaining box has the highest mean of y (ties: the larger box), until a further peel
// would leave fewer than min_mass of all cases. Each step is a box of the peeling trajectory,
// with its coverage (the share of all y inside it) and density (mean y inside it). One box is
// then chosen (choose_box) and pasted: its edges are widened again, alpha of its cases at a time,
// while that raises its density.
#pragma once

#include <string>
#include <vector>

namespace flywheel {

struct PrimOptions {
  double alpha = 0.05;     // share of the box's cases a peel or a paste moves
  double min_mass = 0.05;  // the smallest box, as a share of all cases
  double threshold = 0.8;  // choose_box: the density a chosen box must reach
};

struct PrimBox {
  std::vector<double> lo, hi;  // per dimension, inclusive
  int cases = 0;               // cases inside
  double coverage = 0, density = 0, mass = 0;
  int restricted = 0;             // dimensions narrower than the data's range
  std::vector<double> quasi_p;    // per dimension; NaN where not restricted
};

struct PrimResult {
  std::vector<PrimBox> trajectory;  // [0]: the box of every case, then one per peel
  int chosen = 0;                   // the index in trajectory choose_box picked
  PrimBox pasted;                   // the chosen box after pasting, with its quasi-p-values
  double total = 0;                 // sum of y over all cases
  std::vector<double> data_lo, data_hi;  // the box of every case
  std::string choice;               // how the box was chosen, in words
};

// x[i][d]; y[i] in [0, 1]. Throws std::invalid_argument on empty or ragged input.
PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                const PrimOptions& options = {});

// The box to report: the one with the highest coverage among those whose density reaches the
// threshold; when none does, the densest one. Returns its index in the trajectory.
int choose_box(const std::vector<PrimBox>& trajectory, double threshold, std::string& why);

// Quasi-p-value of each restricted dimension of `box` (Friedman & Fisher's idea as used in
// scenario discovery): the box with that one dimension set free holds n cases with mean m; under
// the hypothesis that the restriction adds nothing, the box's y sum is Binomial(cases, m), and
// the p-value is P(X >= the box's y sum, rounded). Small values: the restriction matters.
std::vector<double> quasi_p_values(const std::vector<std::vector<double>>& x,
                                   const std::vector<double>& y, const PrimBox& box,
                                   const std::vector<double>& data_lo,
                                   const std::vector<double>& data_hi);

}  // namespace flywheel
