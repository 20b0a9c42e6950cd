// Plain-text tables and the number formats of the terminal summary ($1.23M, 4.2%).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flywheel::cli {

// US dollars with three significant digits and a k/M/B/T suffix: "$456k", "$1.23M", "-$12.0k".
std::string format_usd(double usd);
// A ratio as a percentage with one decimal: 0.0213 -> "2.1%".
std::string format_percent(double ratio);
// A count or plain number: integers as such, otherwise up to 4 significant digits.
std::string format_number(double value);
// A value in the unit of a metric (metric_list.inc): USD..., ratio, or anything else.
std::string format_in_unit(double value, std::string_view unit);

// Rows of cells (row 0 is the header) in columns two spaces apart; `align` holds 'l' or 'r'
// per column (missing = 'r'). Every line ends with '\n'; trailing spaces are trimmed.
std::string render_table(const std::vector<std::vector<std::string>>& rows,
                         std::string_view align = "");

}  // namespace flywheel::cli
