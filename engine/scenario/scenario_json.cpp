// The resolved scenario as JSON (summary.json's echo), written by walking the parameter schema
// so that every parameter appears, defaults included, under the same keys as the YAML. JSON is
// YAML, so loading this text gives back an equal Scenario.
#include <flywheel/scenario/loader.hpp>

#include "param_schema.hpp"

namespace flywheel {

namespace {

using namespace loader;
using nlohmann::json;

json schedule_json(const Schedule& schedule) {
  if (schedule.pieces.size() == 1 && schedule.pieces.front().from_month == 0) {
    return schedule.pieces.front().value;
  }
  json pieces = json::array();
  for (const Schedule::Piece& piece : schedule.pieces) {
    pieces.push_back({{"from_month", piece.from_month}, {"value", piece.value}});
  }
  return pieces;
}

struct ValueToJson {
  json operator()(std::monostate) const { return nullptr; }
  json operator()(bool v) const { return v; }
  json operator()(std::int64_t v) const { return v; }
  json operator()(double v) const { return v; }
  json operator()(const std::string& v) const { return v; }
  json operator()(const Schedule& v) const { return schedule_json(v); }
  json operator()(const StageSet& set) const {
    json names = json::array();
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (set[i]) names.push_back(kStageNames[i]);
    }
    return names;
  }
  json operator()(const StageShares& shares) const {
    json map = json::object();
    for (std::size_t i = 0; i < shares.size(); ++i) map[kStageNames[i]] = shares[i];
    return map;
  }
};

json block_json(const Scenario& scenario, std::string_view pattern, Indices& indices) {
  json out = json::object();
  for (const Param* param : param_schema().children(pattern)) {
    const std::string key(key_of(param->path));
    if (param->type.kind == Kind::map) {
      out[key] = block_json(scenario, param->path, indices);
    } else if (param->type.kind == Kind::list) {
      json items = json::array();
      const std::string item_pattern = std::string(param->path) + "[]";
      for (std::size_t i = 0; i < param->list.size(scenario); ++i) {
        indices.push_back(i);
        items.push_back(block_json(scenario, item_pattern, indices));
        indices.pop_back();
      }
      out[key] = std::move(items);
    } else if (param->access.get) {  // keys the loader consumes (extends) have no field
      const Value value = param->access.get(scenario, indices);
      if (!std::holds_alternative<std::monostate>(value))
        out[key] = std::visit(ValueToJson{}, value);
    }
  }
  return out;
}

}  // namespace

json scenario_to_json(const Scenario& scenario) {
  Indices indices;
  return block_json(scenario, "", indices);
}

}  // namespace flywheel
