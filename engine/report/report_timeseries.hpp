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
  double sd = NAN, n = 0;  // over replicates (the standard error of the mean is sd / sqrt(n))
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

// expected.csv (month,metric,value; meanfield::expected_csv): the mean-field twin's value of
// each metric by month, NaN where undefined. Bad input naming `file` when a column is missing.
using Expected = std::map<std::string, std::map<int, double>, std::less<>>;
Expected read_expected(const std::string& text, const std::string& file = "expected.csv");

// Sets the "expected" field (the mean field; null where undefined) of the dataset's rows of
// `metric`, for the fan charts' mean-field line (fan_spec with mean_field).
void add_expected(Json& rows, std::string_view metric, const Expected& expected);

// The month from which the mean field leaves the replicates: outside their p5-p95 band, or more
// than 4 standard errors from their mean, and more than 2% away from that mean (so that a
// negligible bias over many replicates says nothing), for 3 months in a row or to the last
// month (so that the first months of a small count, all replicates at 0 against an expected
// 0.1, or one month's coarse quantiles over few replicates, say nothing); 0 when it never does.
int mean_field_departure(const std::vector<MonthStats>& months,
                         const std::map<int, double>& expected);
// The note under a chart whose mean field departs (mean_field_departure), or "" when it does
// not or `expected` lacks the metric.
std::string mean_field_note(const std::vector<MonthStats>& months, const Expected& expected,
                            std::string_view metric);

// The last month of the run (0 when there is none).
int last_month(const Timeseries& ts);

// A fan chart of one metric of the "timeseries" dataset; with `months` > 0 its x axis spans
// months 1 to `months` whatever months the metric has rows for, so panels line up.
// With `mean_field`, also the dashed mean-field line of the rows' "expected" field.
Chart metric_fan_chart(std::string_view metric, const MetricStyle& style, const std::string& color,
                       int months = 0, bool mean_field = false);

}  // namespace flywheel::report
