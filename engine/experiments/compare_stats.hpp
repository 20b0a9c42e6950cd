// The statistics of compare shared by its files (compare.cpp, compare_texts.cpp,
// compare_bottom_line.cpp): paired comparisons of any per-replicate values, and an item's
// running value by month.
#pragma once

#include <flywheel/experiments/compare.hpp>

#include <vector>

namespace flywheel::compare_detail {

// B - A over the replicates where both are defined (Comparison's formulas), labelled `metric`
// at `month`.
Comparison compare_values(const std::vector<double>& xs, const std::vector<double>& ys,
                          Metric metric, int month);

// A metric's (or an output's) value per replicate at `month` (1-based): for an output
// metric@STAT:A-B its statistic over A..min(month, B), NaN before A.
std::vector<double> item_values(const RunSummary& run, Metric metric, const OutputSpec* output,
                                int month);

// A row of compare_months.csv: the paired comparison and each side's distribution.
struct MonthRow {
  Comparison c;
  Distribution a, b;
};
MonthRow month_row(const RunSummary& a, const RunSummary& b, Metric metric,
                   const OutputSpec* output, int month);

}  // namespace flywheel::compare_detail
