// docs/validation.md: the validation of scenarios against the public ranges of their kind of
// company (include/flywheel/experiments/validation.hpp) as one Markdown page, and the number
// formats it shares with `flywheel ranges`' terminal table. A pure function of its inputs:
// the same runs give the same bytes, so the page can be checked in and compared.
#pragma once

#include <flywheel/experiments/validation.hpp>

#include <string>
#include <vector>

namespace flywheel {

// A value in the row's format: "3.1%", "4.61x", "13.8 mo", "48 d"; "undefined" for NaN.
std::string format_validation_value(double value, ValueFormat format);
// The row's range, bounds without trailing zeros: "2%-5%", "1x-5x", "6 mo-18 mo".
std::string format_validation_range(const RangeRow& row);
// How the row is read: "month 36", or "pooled, months 13-36".
std::string validation_reading(const RowResult& result);
// The status as shown: "in", "outside: REASON", "OUT", "n/a (no trials)".
std::string validation_status_text(const RowResult& result);
// The row's sources by label ("Benchmarkit 2025; SaaS Capital 2023"), with "assumption" first
// when the range is the team's.
std::string validation_sources_text(const PublicRanges& ranges, const RangeRow& row);

// The page: how it was made (`command`, replicates, seeds) and how to read it, a summary per
// scenario, one table per scenario (row, reading, median, p5-p95, range, status, sources), each
// kind's ranges with their basis, and the sources in full.
std::string validation_markdown(const PublicRanges& ranges,
                                const std::vector<ScenarioValidation>& results,
                                const std::string& command);

}  // namespace flywheel
