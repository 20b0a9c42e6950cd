// Comparing two scenarios run with the same seed (docs/design.md#experiments).
// Replicate r of A and replicate r of B draw the same numbers for the same decisions (common
// random numbers), so the differences are paired by replicate and their noise is far smaller
// than that of two independent runs.
#pragma once

#include <flywheel/experiments/sweep.hpp>
#include <flywheel/output/statistics.hpp>

#include <optional>
#include <string>
#include <string_view>
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
  // A sweep-style output compared (e.g. "gross_profit_usd@sum:1-36", its value over the months
  // up to `month`); empty for the metric at `month`.
  std::string output;
  // What compare.csv's metric column says: the output's name, else the metric's.
  std::string name() const;
};

// Default months: 12, 24, 36 within the horizon, and the horizon.
std::vector<int> default_compare_months(int months);
// Default metrics: ARR, paying accounts, logo churn, NRR, K-factor.
std::vector<Metric> default_compare_metrics();

// Metrics chosen by name (empty: the defaults); unknown names are bad input (InputError, every
// problem at once, key path "--metrics"). Names with an '@' are outputs (below), skipped here.
std::vector<Metric> compare_metrics_by_name(const std::vector<std::string>& names);
// The names with an '@': sweep-style outputs as sweep specs write them (metric@M, metric@last,
// metric@STAT:A-B; parse_output_spec), e.g. gross_profit_usd@sum:1-36 for a cumulative total.
// Each is compared once, at its last month; malformed ones are bad input ("--metrics").
std::vector<OutputSpec> compare_outputs_by_name(const std::vector<std::string>& names);
// A and B must share months, replicates and seed, and every month (and every output's months)
// must lie in [1, months], or the pairing means nothing; throws InputError listing every
// mismatch.
void check_pairable(const Scenario& a, const Scenario& b, const std::vector<int>& months,
                    const std::vector<OutputSpec>& outputs = {});

// Pairs replicate r of `a` with replicate r of `b` (both must have as many replicates and at
// least as many months as asked).
std::vector<Comparison> compare_runs(const RunSummary& a, const RunSummary& b,
                                     const std::vector<Metric>& metrics,
                                     const std::vector<int>& months);

// Each output at its last month (the horizon for metric@last or an open range).
std::vector<Comparison> compare_outputs(const RunSummary& a, const RunSummary& b,
                                        const std::vector<OutputSpec>& outputs, int horizon);

// True when `metric` is 0 at every month of every replicate of every run: a comparison of it
// says nothing (e.g. referral metrics of scenarios without referrals), so compare leaves it out
// of the verdicts with a note.
bool identically_zero(const std::vector<const RunSummary*>& runs, Metric metric);

// The unit of a comparison's values (metric_list.inc; output_unit for an output).
std::string comparison_unit(const Comparison& c);
// An absolute difference with its unit: "$1,234" (USD), "$1,234/month", "2.1 pp" (a ratio, in
// percentage points), "1,234 people"; signed when `sign`.
std::string with_unit(double x, std::string_view unit, bool sign = false);

// "B raises arr_usd at month 36 by 18.2% (+$120,400; 95% CI 12.0% to 24.3%), P(B>A) = 0.99":
// absolute differences carry their unit. `variant` names the side compared with A.
std::string verdict(const Comparison& c, std::string_view variant = "B");

// The bottom line of a variant against A over the whole horizon: cumulative gross profit minus
// spend (gross_profit_usd - spend_total_usd summed over months 1..M), the cash low point (each
// replicate's lowest cash_usd), both as means over replicates with the paired difference, and
// the payback month of the difference: the first month from which the mean cumulative
// (B - A) (gross profit - spend) stays >= 0 to the horizon (none when it ends below 0).
struct SideMoney {
  double net = 0;       // mean cumulative gross profit - spend, USD
  double cash_low = 0;  // mean of each replicate's lowest cash, USD
  int cash_low_month = 0;  // month of the lowest mean cash
};
struct BottomLine {
  std::string variant;  // "B", "C", ...
  int months = 0;
  SideMoney a, b;
  Comparison net, cash_low;  // paired B - A, month = the horizon
  std::optional<int> payback_month;
  std::vector<double> cumulative_diff;  // mean cumulative (B - A)(gross profit - spend) by month
};
BottomLine bottom_line(const RunSummary& a, const RunSummary& b, std::string variant);
// "B: gross profit - spend over months 1-36 $-2,100,000 (A $-3,000,000; B - A +$900,000, 95% CI
// ...); cash low point $400,000 at month 20 (A $120,000); payback of the difference: month 14".
std::string bottom_line_text(const BottomLine& line);

// compare.csv (one row per metric and month) and compare.json (names, seed, rows, verdicts).
// With a `variant` (N-way compares: B, C, ...), each row starts with a variant column.
std::string compare_csv_text(const std::vector<Comparison>& rows, const std::string& variant = "",
                             bool header = true);
std::string compare_json_text(const RunResult& a, const RunResult& b,
                              const std::vector<Comparison>& rows);

// One side compared with A: its run, rows (verdict rows only: metrics identically zero
// left out), bottom line.
struct CompareSide {
  const RunResult* run = nullptr;
  std::string variant;  // "B", "C", ...
  std::vector<Comparison> rows;
  BottomLine bottom_line;
};
// compare.json of A against one or more variants. With one variant, today's layout (a, b,
// comparisons, differences) plus bottom_line and omitted; with more, "variants": one object per
// variant (its label, scenario, comparisons, differences, bottom_line).
std::string compare_json_text(const RunResult& a, const std::vector<CompareSide>& sides,
                              const std::vector<std::string>& omitted);

// compare_months.csv, what report.html draws: for each metric (and output, as its running
// value) and every month 1..M, the columns of compare.csv followed by the quantiles of A and of
// B over replicates (a_p5,a_p25,a_p50,a_p75,a_p95,b_p5,...,b_p95); with a `variant`, each row
// starts with a variant column.
std::string compare_months_csv_text(const RunSummary& a, const RunSummary& b,
                                    const std::vector<Metric>& metrics,
                                    const std::vector<OutputSpec>& outputs = {},
                                    const std::string& variant = "", bool header = true);

}  // namespace flywheel
