// Vega-Lite specs and page sections of the run report, built with nlohmann::json. Each spec
// names its data ({"data": {"name": ...}}); the page stores the datasets once.
#pragma once

#include "report_page.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel::report {

// x = month (1-based), as every time chart shows it.
Json month_x();
// A fan chart of one metric from rows with month, p5, p25, p50, p75, p95 and mean: 90% and 50%
// bands, the median line, and a rule with the month's values on hover. With `mean_field`, also
// the mean-field twin's trajectory (the rows' "expected" field) as a dashed line labelled
// "mean field" at its last month.
Json fan_spec(const MetricStyle& style, const std::string& color, int width = 440,
              int height = 210, bool mean_field = false);
// The month's values on hover: a rule at the nearest month with a tooltip of these fields.
Json hover_rule_layer(const Json& tooltip);
// Adds a dashed horizontal rule at y = `value` to a layered chart (zero cash, 100% retention).
// The chart's shared x encoding moves into its layers first, or the rule would inherit it and be
// drawn once per row, vertically.
void add_y_rule(Json& spec, double value);

// Monthly MRR movements (rows month, movement, order, usd; losses negative) as stacked bars
// with the net new MRR as a line; colours by movement name (domain and range in order).
Json movements_spec(const Json& domain, const Json& range, int months);
// The MRR bridge over the horizon (rows step, kind, from, to): a waterfall.
Json bridge_spec();
// Histogram of one metric's values (rows metric, value) with the median as a rule.
Json histogram_spec(const std::string& metric, const MetricStyle& style,
                    const std::vector<double>& values, int month);

// The mean per month of a metric: (month, mean) pairs.
using MonthlyMeans = std::function<std::vector<std::pair<int, double>>(std::string_view metric)>;
// Who moved where: people per flywheel transition over the horizon and month by month.
Section stage_flow_section(const MonthlyMeans& means, Json& datasets);
// summary.json's targets: probability with its Wilson interval, as a chart and a table.
Section targets_section(const Json& summary, Json& datasets);
// summary.json's scenario: name, description, file and every resolved parameter.
Section scenario_section(const Json& scenario);

// A number for a person: 1,250,000 or 0.035.
std::string plain_number(double value);

}  // namespace flywheel::report
