// The parameter schema: one declarative entry per scenario key (path, type, range, default,
// unit, meaning, accessor). The loader, the JSON echo and docs/parameters.md all walk this one
// table, so a parameter is described exactly once.
#pragma once

#include "param_access.hpp"

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

enum class Kind {
  map,      // a block of keys
  list,     // a list of maps
  boolean,  // true or false
  integer,
  number,
  text,          // any string
  label,         // a non-empty string
  identifier,    // [a-z][a-z0-9_]*
  choice,        // one of `choices`
  metric,        // a metric name (metrics.hpp)
  schedule,      // a number, or pieces {from_month, value}; values within `range`
  stage_list,    // a list of distinct stage names from `choices`
  stage_shares,  // a map stage name -> share in [0, 1], summing to 1
};

struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;
  bool max_open = false;
};

struct ValueType {
  Kind kind = Kind::map;
  std::string_view what;  // noun phrase for messages: "a probability", "an integer"
  Range range;            // integer, number and schedule values
  std::vector<std::string_view> choices;
};

enum class Presence {
  required,   // missing is an error
  defaulted,  // missing means `default_value`
  optional,   // missing means "not given" (a std::optional field, or a block)
};

struct Param {
  std::string_view path;  // "market.segments[].share": [] stands for every list position
  ValueType type;
  Presence presence = Presence::optional;
  Value default_value;
  std::string_view unit;
  std::string_view meaning;
  Accessor access;    // leaves; empty for keys the loader itself consumes (extends)
  ListAccessor list;  // lists
  std::size_t min_items = 0;
};

class ParamSchema {
 public:
  ParamSchema();
  const std::vector<Param>& params() const { return params_; }
  // Direct children of a block: "" for the top level, "market.segments[]" for one segment.
  const std::vector<const Param*>& children(std::string_view parent) const;
  const Param* find(std::string_view path) const;

 private:
  std::vector<Param> params_;
  // Asked once per map in a scenario: indexed, so that a list of thousands of segments does
  // not scan the whole schema for each.
  std::map<std::string, std::vector<const Param*>, std::less<>> children_;
};

// The schema; built once and immutable.
const ParamSchema& param_schema();

// "market.segments[].share" -> "market.segments[]" and "share".
std::string_view parent_of(std::string_view path);
std::string_view key_of(std::string_view path);

// Message and documentation texts derived from a type.
std::string format_number(double value);           // shortest text that reads back exactly
std::string format_rounded(double value);          // 6 significant digits: sums in messages
std::string range_text(const Range& range);        // "in [0, 1]", ">= 1", "" when unbounded
std::string expected_text(const ValueType& type);  // "a probability in [0, 1]"
std::string join_names(const std::vector<std::string_view>& names);  // "a, b, c"

}  // namespace flywheel::loader
