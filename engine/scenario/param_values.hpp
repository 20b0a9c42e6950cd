// Reading one parameter's value from the tree into a typed Value: numbers, integers, names,
// choices, schedules and stage sets, each problem reported with the rule it broke.
#pragma once

#include "param_schema.hpp"
#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

// nullopt when the value is unusable (the problem is reported).
std::optional<Value> parse_leaf(const ValueType& type, const TreeNode& node,
                                const std::string& path, Diagnostics& diagnostics);

// "unknown key; did you mean X?" for a near miss, else the list of keys allowed there.
// Returns the suggestion: a key it stands for is not also reported missing.
std::optional<std::string> report_unknown_key(const MapEntry& entry, const std::string& parent_path,
                                              const std::vector<std::string_view>& known,
                                              Diagnostics& diagnostics);

}  // namespace flywheel::loader
