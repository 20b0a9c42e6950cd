// Rules that tie several parameters together: segment shares summing to 1, unique segment
// names, account sizes, targets within the horizon. They run on the built Scenario and skip
// values already reported, so that one mistake gives one message.
#pragma once

#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"

#include <flywheel/spec/scenario.hpp>

namespace flywheel::loader {

void check_scenario_rules(const Scenario& scenario, const TreeNode& root, Diagnostics& diagnostics);

}  // namespace flywheel::loader
