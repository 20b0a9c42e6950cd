// Schedule markers: a scenario's schedules change parameters at given months
// (include/flywheel/scenario/schedule_changes.hpp); every time chart of a report gets a vertical
// rule at each such month, whose tooltip names what changed.
#pragma once

#include "report_page.hpp"

#include <flywheel/scenario/schedule_changes.hpp>

#include <string>
#include <utility>
#include <vector>

namespace flywheel::report {

// The changes of one scenario, with the label its lines carry ("" for a run, "A" or "B").
struct LabelledChanges {
  std::string label;
  std::vector<ScheduleChange> changes;
};

// Rows of the "schedule_changes" dataset: one per month m with 1 <= m < months at which
// something changes (the rule sits at x = m, the end of the last month before the change; the
// new values act from month m + 1): month, after (= m + 1), title, changes (one line per
// parameter, "strategy.slg.reps: 20 → 30", prefixed "A: " or "B: ", or "A and B: " when both
// make the same change).
Json schedule_rows(const std::vector<LabelledChanges>& sides, int months);

// Adds `rows` as the dataset "schedule_changes" and a rule layer (named "schedule") to every
// chart whose time axis is months or month bands, and a line saying so to the intro of the first
// section that has such a chart. Nothing when `rows` is empty.
void add_schedule_markers(Page& page, const Json& rows);

}  // namespace flywheel::report
