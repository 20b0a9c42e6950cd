// The months at which a scenario's schedules change something
// (docs/model.md#strategy-levers-and-their-blocks): every piece of a scheduled parameter after the
// first whose value differs from the piece before, with the parameter's key path. The reports mark
// these months on their time charts.
#pragma once

#include <flywheel/spec/scenario.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flywheel {

struct ScheduleChange {
  // from_month of the piece: months count from 0, so the new value acts from the 1-based month
  // `month + 1` of the outputs on, and a chart over 1-based months marks the change at x = month
  // (the end of the last month before it).
  int month = 0;
  std::string path;  // key path, as --set writes it: strategy.slg.reps, market.segments[1].x
  double from = 0.0, to = 0.0;
  bool operator==(const ScheduleChange&) const = default;
};

// Every change, by month, then in the order of the parameter reference. Blocks switched off
// (`enabled: false`) change nothing and are left out; changes at or after the horizon are kept
// (the caller decides what it shows; scenario_warnings flags them).
std::vector<ScheduleChange> schedule_changes(const Scenario& scenario);
// The same from the resolved scenario as scenario_to_json writes it (summary.json's
// scenario.resolved). Values that are not schedules as the echo writes them are skipped, so an
// echo from another flywheel version gives the changes it can read.
std::vector<ScheduleChange> schedule_changes(const nlohmann::json& resolved);

}  // namespace flywheel
