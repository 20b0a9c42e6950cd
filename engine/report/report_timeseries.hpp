// timeseries.csv as the run report reads it, and what its sections share: the rows of the
// "timeseries" dataset, fan charts over it, and the rule that a panel with nothing to say is left
// out with a one-line note rather than drawn against an axis Vega can only label NaN.
#pragma once

#include "report_page.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::report {

// One metric's distribution per month, as timeseries.csv holds it.
struct MonthStats {
  int month = 0;
  double mean = NAN, p5 = NAN, p25 = NAN, p50 = NAN, p75 = NAN, p95 = NAN;
};
using Timeseries = std::map<std::string, std::vector<MonthStats>, std::less<>>;

// Bad input naming timeseries.csv when a column is missing.
Timeseries read_timeseries(const std::string& text);
// The metric's months, or none.
const std::vector<MonthStats>& series(const Timeseries& ts, std::string_view metric);
// Zero or undefined in every month and replicate (a scenario without that mechanism).
bool says_nothing(const std::vector<MonthStats>& months);
// "<p class="note">Not drawn: ARR, MRR (why).</p>", or nothing when `titles` is empty.
std::string left_out_note(const std::vector<std::string>& titles, std::string_view why);

// Appends the metric's rows to the "timeseries" dataset (metric, label, order, month, mean and
// quantiles). With `from_first_defined`, the months before the first one whose mean is defined
// are left out (annual metrics before month 13, CAC before the first new account), so that no
// tooltip shows an undefined value.
void add_rows(Json& rows, const Timeseries& ts, std::string_view metric, std::string_view label,
              int order, bool from_first_defined = false);

// The last month of the run (0 when there is none).
int last_month(const Timeseries& ts);

// A fan chart of one metric of the "timeseries" dataset; with `months` > 0 its x axis spans
// months 1 to `months` whatever months the metric has rows for, so panels line up.
Chart metric_fan_chart(std::string_view metric, const MetricStyle& style, const std::string& color,
                       int months = 0);

}  // namespace flywheel::report
