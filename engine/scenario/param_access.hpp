// How the parameter schema reads and writes one field of a Scenario: a typed Value and
// accessors built from member pointers, so that each schema entry names its field in one line.
#pragma once

#include <flywheel/spec/scenario.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace flywheel::loader {

using StageSet = std::array<bool, kStageCount>;
using StageShares = std::array<double, kStageCount>;
// monostate: an optional parameter left out. Integers travel as int64, choices as their name.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Schedule,
                           StageSet, StageShares>;
// List positions along a path, outermost first: {1} in market.segments[1].share.
using Indices = std::vector<std::size_t>;

struct Accessor {
  std::function<void(Scenario&, const Indices&, const Value&)> set;
  std::function<Value(const Scenario&, const Indices&)> get;
};

struct ListAccessor {
  std::function<std::size_t(const Scenario&)> size;
  std::function<void(Scenario&, std::size_t)> resize;
};

namespace access_detail {

template <class T>
void store(T& field, const Value& value) {
  if constexpr (std::is_enum_v<T>) {
    const std::string& name = std::get<std::string>(value);
    for (int i = 0; i <= 255; ++i) {
      const std::string_view known = to_string(static_cast<T>(i));
      if (known == "?") break;
      if (known == name) {
        field = static_cast<T>(i);
        return;
      }
    }
    throw std::logic_error("parameter schema: no enumerator named " + name);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    field.reset();
    if (const double* number = std::get_if<double>(&value)) field = *number;
  } else if constexpr (std::is_same_v<T, bool>) {
    field = std::get<bool>(value);
  } else if constexpr (std::is_integral_v<T>) {
    field = static_cast<T>(std::get<std::int64_t>(value));  // the schema's range fits T
  } else {
    field = std::get<T>(value);
  }
}

template <class T>
Value load(const T& field) {
  if constexpr (std::is_enum_v<T>) {
    return std::string(to_string(field));
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return field ? Value{*field} : Value{};
  } else if constexpr (std::is_same_v<T, bool>) {
    return field;
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<std::int64_t>(field);
  } else {
    return Value{field};
  }
}

template <auto... Members, class Object>
auto& member(Object& object) {
  return (object.*....*Members);
}

}  // namespace access_detail

// A field reached from the Scenario by member pointers: field<&Scenario::simulation,
// &SimulationSpec::months>().
template <auto... Members>
Accessor field() {
  using namespace access_detail;
  return {[](Scenario& s, const Indices&, const Value& v) { store(member<Members...>(s), v); },
          [](const Scenario& s, const Indices&) { return load(member<Members...>(s)); }};
}

// A field of market.segments[i].
template <auto... Members>
Accessor segment_field() {
  using namespace access_detail;
  return {[](Scenario& s, const Indices& at, const Value& v) {
            store(member<Members...>(s.market.segments.at(at.at(0))), v);
          },
          [](const Scenario& s, const Indices& at) {
            return load(member<Members...>(s.market.segments.at(at.at(0))));
          }};
}

// A field of targets[i].
template <auto... Members>
Accessor target_field() {
  using namespace access_detail;
  return {[](Scenario& s, const Indices& at, const Value& v) {
            store(member<Members...>(s.targets.at(at.at(0))), v);
          },
          [](const Scenario& s, const Indices& at) {
            return load(member<Members...>(s.targets.at(at.at(0))));
          }};
}

// funnel.churn_per_month, indexed by stage.
inline Accessor churn_field(Stage stage) {
  const auto k = static_cast<std::size_t>(stage);
  return {[k](Scenario& s, const Indices&, const Value& v) {
            s.funnel.churn_per_month.at(k) = std::get<double>(v);
          },
          [k](const Scenario& s, const Indices&) { return Value{s.funnel.churn_per_month.at(k)}; }};
}

// A field of the i-th item of a list other than segments and targets; `list_of` maps a
// (const or not) Scenario to the list: [](auto& s) -> auto& { return s.strategy.plg.tiers; }.
template <auto... Members, class ListOf>
Accessor item_field(ListOf list_of) {
  using namespace access_detail;
  return {[list_of](Scenario& s, const Indices& at, const Value& v) {
            store(member<Members...>(list_of(s).at(at.at(0))), v);
          },
          [list_of](const Scenario& s, const Indices& at) {
            return load(member<Members...>(list_of(s).at(at.at(0))));
          }};
}

// A std::vector reached from the Scenario by member pointers.
template <auto... Members>
ListAccessor list_field() {
  using namespace access_detail;
  return {[](const Scenario& s) { return member<Members...>(s).size(); },
          [](Scenario& s, std::size_t n) { member<Members...>(s).resize(n); }};
}

}  // namespace flywheel::loader
