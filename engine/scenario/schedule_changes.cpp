// Schedule change points, found by walking the parameter schema over the JSON echo of a scenario
// (scenario_json.cpp), so that every parameter of kind schedule is seen, whatever block it is in,
// without a list of them to keep up to date.
#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/schedule_changes.hpp>

#include "param_schema.hpp"

#include <algorithm>

namespace flywheel {

namespace {

using loader::Kind;
using loader::Param;
using nlohmann::json;

// The pieces of one schedule as the echo writes it: a number (one piece from month 0), or a list
// of {from_month, value}. Anything else gives no change.
void add_changes(const json& value, const std::string& path, std::vector<ScheduleChange>& out) {
  if (!value.is_array()) return;
  bool first = true;
  double before = 0.0;
  for (const json& piece : value) {
    if (!piece.is_object() || !piece.contains("from_month") || !piece.contains("value") ||
        !piece["from_month"].is_number_integer() || !piece["value"].is_number()) {
      return;
    }
    const int month = piece["from_month"].get<int>();
    const double v = piece["value"].get<double>();
    if (!first && v != before) out.push_back(ScheduleChange{month, path, before, v});
    first = false;
    before = v;
  }
}

void walk(const json& block, std::string_view pattern, const std::string& prefix,
          std::vector<ScheduleChange>& out) {
  if (!block.is_object()) return;
  // A block switched off acts on nothing, whatever its schedules say.
  if (block.contains("enabled") && block["enabled"].is_boolean() && !block["enabled"]) return;
  for (const Param* param : loader::param_schema().children(pattern)) {
    const std::string key(loader::key_of(param->path));
    const auto it = block.find(key);
    if (it == block.end()) continue;
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (param->type.kind == Kind::map) {
      walk(*it, param->path, path, out);
    } else if (param->type.kind == Kind::list && it->is_array()) {
      const std::string item_pattern = std::string(param->path) + "[]";
      for (std::size_t i = 0; i < it->size(); ++i) {
        walk((*it)[i], item_pattern, path + "[" + std::to_string(i) + "]", out);
      }
    } else if (param->type.kind == Kind::schedule) {
      add_changes(*it, path, out);
    }
  }
}

}  // namespace

std::vector<ScheduleChange> schedule_changes(const json& resolved) {
  std::vector<ScheduleChange> out;
  walk(resolved, "", "", out);
  std::stable_sort(out.begin(), out.end(), [](const ScheduleChange& a, const ScheduleChange& b) {
    return a.month < b.month;
  });
  return out;
}

std::vector<ScheduleChange> schedule_changes(const Scenario& scenario) {
  return schedule_changes(scenario_to_json(scenario));
}

}  // namespace flywheel
