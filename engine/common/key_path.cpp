#include "key_path.hpp"

#include <charconv>

namespace flywheel::loader {

namespace {

bool is_key_char(char c) {
  return c != '.' && c != '[' && c != ']' && c != '=' && c != ' ' && c != '\t';
}

// Reads `[digits]` at `pos`; returns false (and sets the problem) when malformed.
bool read_index(std::string_view path, std::size_t& pos, ParsedPath& out) {
  const std::size_t open = pos++;
  const std::size_t first = pos;
  while (pos < path.size() && path[pos] >= '0' && path[pos] <= '9') ++pos;
  std::size_t index = 0;
  const auto parsed = std::from_chars(path.data() + first, path.data() + pos, index);
  if (pos == first || pos >= path.size() || path[pos] != ']' || parsed.ec != std::errc{}) {
    out.problem = "malformed list index; expected [N] with N a list position from 0";
    out.problem_offset = open;
    return false;
  }
  ++pos;
  out.steps.push_back(PathStep{"", index, open});
  return true;
}

}  // namespace

ParsedPath parse_key_path(std::string_view path) {
  ParsedPath out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = pos;
    while (pos < path.size() && is_key_char(path[pos])) ++pos;
    if (pos == start) {
      out.problem =
          "empty key in the path; expected keys joined by dots, e.g. funnel.signup_per_month";
      out.problem_offset = start;
      return out;
    }
    out.steps.push_back(
        PathStep{std::string(path.substr(start, pos - start)), std::nullopt, start});
    while (pos < path.size() && path[pos] == '[') {
      if (!read_index(path, pos, out)) return out;
    }
    if (pos == path.size()) return out;
    if (path[pos] != '.') {
      out.problem = "unexpected '" + std::string(1, path[pos]) +
                    "' in the path; expected keys joined by dots, e.g. funnel.signup_per_month";
      out.problem_offset = pos;
      return out;
    }
    ++pos;
  }
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string item_path(std::string_view list, std::size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

}  // namespace flywheel::loader
