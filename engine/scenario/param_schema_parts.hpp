// Builders for parameter schema entries, shared by the files that declare the schema's parts:
// each reads like the rule it enforces (probability(), integer(1), schedule(...)).
#pragma once

#include "param_schema.hpp"

namespace flywheel::loader {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// --- type builders: each reads like the rule it enforces ----------------------------------

inline ValueType integer(double min, double max = kInf, std::string_view what = "an integer") {
  return {Kind::integer, what, Range{min, max}, {}};
}
inline ValueType number(Range range, std::string_view what = "a number") {
  return {Kind::number, what, range, {}};
}
inline ValueType probability() {
  return {Kind::number, "a probability", Range{0, 1}, {}};
}
inline ValueType schedule(Range range, std::string_view what) {
  return {Kind::schedule, what, range, {}};
}
inline ValueType choice(std::vector<std::string_view> names) {
  return {Kind::choice, "one of", {}, std::move(names)};
}
inline ValueType simple(Kind kind, std::string_view what) {
  return {kind, what, {}, {}};
}

// --- entry builders ---------------------------------------------------------------------

// strategy.slg fields: the sales levers (param_schema_slg.cpp) and the sales team's costs
// (param_schema_costs.cpp) both live in that block.
template <auto... Members>
Accessor slg_field() {
  return field<&Scenario::strategy, &StrategySpec::slg, Members...>();
}

inline Param required(std::string_view path, ValueType type, std::string_view unit,
                      std::string_view meaning, Accessor access) {
  return {path, std::move(type), Presence::required, {}, unit, meaning, std::move(access), {}, 0};
}
inline Param defaulted(std::string_view path, ValueType type, Value default_value,
                       std::string_view unit, std::string_view meaning, Accessor access) {
  return {path, std::move(type), Presence::defaulted, std::move(default_value),
          unit, meaning,         std::move(access),   {},
          0};
}
inline Param optional(std::string_view path, ValueType type, std::string_view unit,
                      std::string_view meaning, Accessor access) {
  return {path, std::move(type), Presence::optional, {}, unit, meaning, std::move(access), {}, 0};
}
inline Param block(std::string_view path, Presence presence, std::string_view what,
                   std::string_view meaning) {
  return {path, simple(Kind::map, what), presence, {}, "", meaning, {}, {}, 0};
}
inline Param list(std::string_view path, Presence presence, std::string_view what,
                  std::size_t min_items, std::string_view meaning, ListAccessor access) {
  return {path, simple(Kind::list, what), presence, {}, "", meaning,
          {},   std::move(access),        min_items};
}

inline Value integer_value(std::int64_t v) {
  return v;
}

// A lever block: `access` receives whether the block is present (param_access.hpp).
inline Param lever_block(std::string_view path, std::string_view meaning, Accessor access) {
  return {
      path, simple(Kind::map, "a map"), Presence::optional, {}, "", meaning, std::move(access), {},
      0};
}

inline ValueType boolean() {
  return {Kind::boolean, "a boolean", {}, {}};
}

// The `enabled` switch of a lever block; the block's own entry records its presence in the
// same field (param_access.hpp), so a block left out is off.
inline Param enabled_switch(std::string_view path, Accessor access) {
  return defaulted(path, boolean(), true, "",
                   "Switches the lever off when false; a block left out is off too.",
                   std::move(access));
}

// Parts of the schema, in the order they appear in docs/parameters.md.
std::vector<Param> strategy_params();   // strategy, strategy.marketing (param_schema_strategy.cpp)
std::vector<Param> plg_params();        // strategy.plg (param_schema_strategy.cpp)
std::vector<Param> economics_params();  // economics (param_schema_strategy.cpp)
std::vector<Param> slg_params();        // strategy.slg, segments' sales (param_schema_slg.cpp)
std::vector<Param> clg_params();        // strategy.clg (param_schema_clg.cpp)
std::vector<Param> referral_params();   // strategy.referrals (param_schema_referrals.cpp)
std::vector<Param> network_params();    // network (param_schema_network.cpp)
// Operating costs (param_schema_costs.cpp): the sales team around the reps (strategy.slg), the
// community's acquisition share (strategy.clg), G&A, hosting and cash (economics).
std::vector<Param> sales_team_params();
std::vector<Param> community_cost_params();
std::vector<Param> operating_cost_params();

}  // namespace flywheel::loader
