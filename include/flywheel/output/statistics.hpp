// Distributions across replicates: per metric and month, mean, sd and quantiles; target
// probabilities. Pure functions of the replicate results (deterministic, order-fixed).
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/metrics.hpp>

#include <span>
#include <vector>

namespace flywheel {

// Summary of one metric at one month over replicates. NaN values (undefined ratios) are left
// out; n counts the values used. With n == 0 every field but n is NaN.
struct Distribution {
  int n = 0;
  double mean, sd, p5, p25, p50, p75, p95;
};

// Quantile q in [0, 1] of sorted values, linear interpolation between order statistics
// (Hyndman & Fan type 7, numpy's default).
double quantile_sorted(std::span<const double> sorted, double q);

// Mean, sample sd (n - 1) and the quantiles above; NaNs skipped.
Distribution summarize(std::span<const double> values);

struct TargetResult {
  Target target;
  int reached = 0;  // replicates that met the target at some month 1..by_month
  int replicates = 0;
  double probability = 0;  // reached / replicates
  double lo = 0, hi = 0;   // Wilson score 95% interval
};

struct RunSummary {
  // values[r][m][k]: metric k of month m (0-based) of replicate r
  std::vector<std::vector<MetricValues>> values;
  // by_month[m][k]: distribution of metric k at month m over replicates
  std::vector<std::array<Distribution, kMetricCount>> by_month;
  std::vector<TargetResult> targets;
};

RunSummary summarize_run(const RunResult& run);

}  // namespace flywheel
