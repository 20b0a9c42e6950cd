// Building the typed Scenario from the merged tree by walking the parameter schema: unknown
// keys, missing keys, defaults and every leaf's type and range. Rules that tie several
// parameters together live in scenario_rules.hpp.
#pragma once

#include "param_schema.hpp"
#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"

#include <flywheel/spec/scenario.hpp>

namespace flywheel::loader {

// Problems go to `diagnostics`; the returned Scenario is only meaningful when there are none.
Scenario build_scenario(const TreeNode& root, const ParamSchema& schema, Diagnostics& diagnostics);

}  // namespace flywheel::loader
