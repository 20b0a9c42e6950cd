// Applying `--set key.path=value` overrides to the merged tree before validation, so that an
// override is checked by the same schema as the file. Its problems are located at file "--set",
// line = the override's 1-based ordinal, column = 1-based column in its "key.path=value" text.
#pragma once

#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"

#include <flywheel/scenario/loader.hpp>

namespace flywheel::loader {

void apply_override(TreeNode& root, const Override& override, int ordinal,
                    Diagnostics& diagnostics);

}  // namespace flywheel::loader
