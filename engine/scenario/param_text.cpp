// Texts derived from a parameter's type, shared by error messages and the parameter reference,
// so that a rule reads the same in both.
#include "param_schema.hpp"

#include <charconv>
#include <cmath>

namespace flywheel::loader {

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest exact
  return std::string(buffer, result.ptr);
}

std::string format_rounded(double value) {
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  return std::string(buffer, result.ptr);
}

std::string range_text(const Range& range) {
  const bool has_min = std::isfinite(range.min);
  const bool has_max = std::isfinite(range.max);
  if (has_min && has_max) {
    return std::string("in ") + (range.min_open ? "(" : "[") + format_number(range.min) + ", " +
           format_number(range.max) + (range.max_open ? ")" : "]");
  }
  if (has_min) return (range.min_open ? "> " : ">= ") + format_number(range.min);
  if (has_max) return (range.max_open ? "< " : "<= ") + format_number(range.max);
  return "";
}

std::string join_names(const std::vector<std::string_view>& names) {
  std::string text;
  for (const std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::string expected_text(const ValueType& type) {
  const std::string range = range_text(type.range);
  const std::string bounded = std::string(type.what) + (range.empty() ? "" : " " + range);
  switch (type.kind) {
    case Kind::integer:
    case Kind::number:
      return bounded;
    case Kind::boolean:
      return "true or false";
    case Kind::schedule:
      return bounded + ", or a list of {from_month, value} pieces";
    case Kind::choice:
      return "one of " + join_names(type.choices);
    case Kind::stage_list:
      return "a list of stages from " + join_names(type.choices);
    case Kind::stage_shares:
      return "a map from stages (" + join_names(type.choices) + ") to shares in [0, 1]";
    default:
      return std::string(type.what);
  }
}

}  // namespace flywheel::loader
