// Warnings for scenarios that load and run but cannot do what they say: no path to revenue, a
// lever switched on whose effect is zero, a target out of reach (or reached) by construction,
// a schedule change after the horizon. Never an error: the run goes ahead unchanged. `flywheel
// validate`, `run` and `compare` print them on stderr; summary.json lists them under "warnings"
// (README, docs/model.md#warnings-scenarios-that-cannot-do-what-they-say).
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/spec/scenario.hpp>

#include <vector>

namespace flywheel {

// Every warning of a validated scenario, in a fixed order (revenue, levers, targets, schedules).
// Each is a Diagnostic: the key path, then one line "what cannot happen: why; fix: what to
// change". A pure function of the scenario: file is scenario.source_file and line and column are
// 0 (load_scenario's `warnings` argument gives the same warnings located in the YAML).
std::vector<Diagnostic> scenario_warnings(const Scenario& scenario);

}  // namespace flywheel
