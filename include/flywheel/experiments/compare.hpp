// Comparing two scenarios run with the same seed (docs/design.md#experiments).
// Replicate r of A and replicate r of B draw the same numbers for the same decisions (common
// random numbers), so the differences are paired by replicate and their noise is far smaller
// than that of two independent runs.
#pragma once

#include <flywheel/output/statistics.hpp>

#include <string>
#include <vector>

namespace flywheel {

// One metric at one month: A against B over the replicates where both are defined.
struct Comparison {
  Metric metric;
  int month = 0;  // 1-based
  int n = 0;      // paired replicates
  double mean_a = 0, mean_b = 0;
  double diff = 0, diff_lo = 0, diff_hi = 0;  // mean of B - A, 95% t interval (paired)
  double lift = 0, lift_lo = 0, lift_hi = 0;  // mean B / mean A - 1, 95% interval (delta
                                              // method); NaN unless mean A > 0
  double p_b_greater = 0;  // P(mean B > mean A), normal approximation of the paired difference
};

// Default months: 12, 24, 36 within the horizon, and the horizon.
std::vector<int> default_compare_months(int months);
// Default metrics: ARR, paying accounts, logo churn, NRR, K-factor.
std::vector<Metric> default_compare_metrics();

// Metrics chosen by name (empty: the defaults); unknown names are bad input (InputError, every
// problem at once, key path "--metrics").
std::vector<Metric> compare_metrics_by_name(const std::vector<std::string>& names);
// A and B must share months, replicates and seed, and every month must lie in [1, months], or
// the pairing means nothing; throws InputError listing every mismatch.
void check_pairable(const Scenario& a, const Scenario& b, const std::vector<int>& months);

// Pairs replicate r of `a` with replicate r of `b` (both must have as many replicates and at
// least as many months as asked).
std::vector<Comparison> compare_runs(const RunSummary& a, const RunSummary& b,
                                     const std::vector<Metric>& metrics,
                                     const std::vector<int>& months);

// "B raises arr_usd at month 36 by 18.2% (95% CI 12.0% to 24.3%), P(B>A) = 0.99".
std::string verdict(const Comparison& c);

// compare.csv (one row per metric and month) and compare.json (names, seed, rows, verdicts).
std::string compare_csv_text(const std::vector<Comparison>& rows);
std::string compare_json_text(const RunResult& a, const RunResult& b,
                              const std::vector<Comparison>& rows);

// compare_months.csv, what report.html draws: for each metric and every month 1..M, the
// columns of compare.csv followed by the quantiles of A and of B over replicates
// (a_p5,a_p25,a_p50,a_p75,a_p95,b_p5,...,b_p95).
std::string compare_months_csv_text(const RunSummary& a, const RunSummary& b,
                                    const std::vector<Metric>& metrics);

}  // namespace flywheel
