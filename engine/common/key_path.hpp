// Key paths such as `market.segments[1].share`: how diagnostics name a value and how `--set`
// addresses one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

struct PathStep {
  std::string key;                   // a map key, or empty for a list position
  std::optional<std::size_t> index;  // a list position
  std::size_t offset = 0;            // 0-based position of the step in the path text
};

struct ParsedPath {
  std::vector<PathStep> steps;
  std::string problem;  // empty when the path is well formed
  std::size_t problem_offset = 0;
};

// Grammar: key ('[' digits ']')* ('.' key ('[' digits ']')*)*; keys are any text without
// '.', '[', ']', '=' or spaces.
ParsedPath parse_key_path(std::string_view path);

std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view list, std::size_t index);

}  // namespace flywheel::loader
