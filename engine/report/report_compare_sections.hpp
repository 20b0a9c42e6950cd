// Sections of the compare report beyond its charts (report_compare.cpp): the variants a
// compare.json holds (B alone in a two-scenario compare, or its "variants"), and the bottom
// line per variant.
#pragma once

#include "report_page.hpp"

#include <string>
#include <vector>

namespace flywheel::report {

// One variant compared with A: its label (B, C, ...) and its object in compare.json (with
// scenario, comparisons, differences, bottom_line; for a two-scenario compare.json the top
// level, whose side is "b").
struct CompareVariant {
  std::string label;
  std::string scenario;
  const Json* data = nullptr;  // holds comparisons, differences, bottom_line
  const Json* side = nullptr;  // holds scenario, schedule_changes
};
std::vector<CompareVariant> compare_variants(const Json& compare);

// The bottom line of each variant: a table (gross profit - spend of A and of the variant and
// their difference with its interval, cash low points, payback month of the difference) and a
// chart of the cumulative difference by month (dataset "bottom_line"). A compare.json written
// before bottom lines gets a note.
Section bottom_line_section(const Json& compare, Json& datasets,
                            const std::vector<std::string>& colors);

// The colours of A, B, C, ... (report_compare_charts.cpp).
const std::vector<std::string>& compare_colors();
// One metric's bands of every side overlaid (with each side's mean field, dotted, when
// `mean_field`), and the paired differences of each variant with A (dataset "diffs").
Json compare_overlay_spec(const std::string& metric, const MetricStyle& style, const Json& domain,
                          bool mean_field);
Json compare_difference_spec(const std::string& metric, const MetricStyle& style,
                             const Json& variants);

}  // namespace flywheel::report
