#include "levers.hpp"

#include "scenario/param_schema.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace flywheel::serve {

namespace {

using loader::Kind;

// The schema's pattern of a key path: "market.segments[0].share" -> "market.segments[].share".
std::string schema_path(const std::string& path) {
  static const std::regex index(R"(\[[0-9]+\])");
  return std::regex_replace(path, index, "[]");
}

// Keys that are not levers of a growth model by default: the run's own settings, the targets,
// the shape of account-size distributions, and segment shares (which must move together to
// keep summing to 1). --param can still name them.
bool excluded_by_default(const std::string& path) {
  return path.starts_with("simulation.") || path.starts_with("targets") ||
         path.starts_with("network.") || path == "name" || path == "description" ||
         path.ends_with(".account_size") || path.ends_with(".share");
}

// 1, 2 or 5 times a power of ten, at most `span` / 100.
double nice_step(double span) {
  if (!(span > 0)) return 1;
  const double raw = span / 100;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {5.0, 2.0, 1.0}) {
    if (m * power <= raw) return m * power;
  }
  return power;
}

std::string label_of(const std::string& path) {
  std::string out;
  for (const char c : path) {
    if (c == '.') {
      out += " \u203a ";
    } else if (c == '_') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// A slider's range: the schema's where it is finite, else 0 .. 4 x the value (a teaching span
// around the scenario's choice), always holding the value.
std::optional<Lever> make_lever(const std::string& path, const nlohmann::json& value) {
  const loader::Param* param = loader::param_schema().find(schema_path(path));
  if (param == nullptr) return std::nullopt;
  Lever lever;
  lever.path = path;
  lever.label = label_of(path);
  lever.unit = std::string(param->unit);
  const Kind kind = param->type.kind;
  if (kind == Kind::boolean && value.is_boolean()) {
    lever.kind = "boolean";
    lever.min = 0;
    lever.max = 1;
    lever.step = 1;
    lever.value = value.get<bool>() ? 1 : 0;
    return lever;
  }
  const bool numeric = kind == Kind::integer || kind == Kind::number || kind == Kind::schedule;
  if (!numeric || !value.is_number()) return std::nullopt;  // a schedule with pieces is not one
  const double v = value.get<double>();
  const loader::Range& range = param->type.range;
  double lo = std::isfinite(range.min) ? range.min : std::min(0.0, 4 * v);
  double hi = v > 0 ? 4 * v : (v < 0 ? 0.0 : 1.0);
  if (kind == Kind::integer) hi = std::max(hi, lo + 10);
  if (std::isfinite(range.max)) hi = std::min(hi, range.max);
  if (hi <= lo) hi = std::isfinite(range.max) ? range.max : lo + 1;
  lever.kind = kind == Kind::integer ? "integer" : "number";
  lever.step = kind == Kind::integer ? std::max(1.0, nice_step(hi - lo)) : nice_step(hi - lo);
  if (range.min_open) lo += lever.step;
  if (range.max_open) hi -= lever.step;
  lever.min = std::min(lo, v);
  lever.max = std::max(hi, v);
  lever.value = v;
  return lever;
}

void collect(const YAML::Node& node, const std::string& path, const nlohmann::json& resolved,
             std::vector<Lever>& out) {
  if (out.size() >= kMaxLevers) return;
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      const std::string child = path.empty() ? key : path + "." + key;
      if (excluded_by_default(child)) continue;
      collect(entry.second, child, resolved, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      collect(node[i], path + "[" + std::to_string(i) + "]", resolved, out);
    }
  } else if (node.IsScalar()) {
    const std::optional<nlohmann::json> value = value_at(resolved, path);
    if (!value) return;
    if (std::optional<Lever> lever = make_lever(path, *value)) out.push_back(std::move(*lever));
  }
}

}  // namespace

std::optional<nlohmann::json> value_at(const nlohmann::json& resolved, const std::string& path) {
  static const std::regex step(R"(([a-z_][a-z0-9_]*)((\[[0-9]+\])*)\.?)");
  const nlohmann::json* node = &resolved;
  std::size_t at = 0;
  while (at < path.size()) {
    std::smatch m;
    const std::string rest = path.substr(at);
    if (!std::regex_search(rest, m, step, std::regex_constants::match_continuous)) {
      return std::nullopt;
    }
    if (!node->is_object() || !node->contains(m[1].str())) return std::nullopt;
    node = &(*node)[m[1].str()];
    std::string indices = m[2].str();
    while (!indices.empty()) {
      const std::size_t close = indices.find(']');
      const std::size_t i = std::stoul(indices.substr(1, close - 1));
      if (!node->is_array() || i >= node->size()) return std::nullopt;
      node = &(*node)[i];
      indices = indices.substr(close + 1);
    }
    at += static_cast<std::size_t>(m.length(0));
  }
  return *node;
}

std::vector<Lever> choose_levers(const std::string& text, const nlohmann::json& resolved,
                                 const std::vector<std::string>& params) {
  std::vector<Lever> levers;
  if (params.empty()) {
    collect(YAML::Load(text), "", resolved, levers);
    return levers;
  }
  std::vector<Diagnostic> problems;
  for (const std::string& path : params) {
    const std::optional<nlohmann::json> value = value_at(resolved, path);
    std::optional<Lever> lever;
    if (value) lever = make_lever(path, *value);
    if (!lever) {
      problems.push_back({"<command line>", 0, 0, path,
                          value ? "not a lever; expected a number, integer or boolean parameter "
                                  "with a single value (not a schedule of pieces)"
                                : "no such parameter in the scenario; expected a key path as "
                                  "--set takes it (flywheel params lists them), with a value "
                                  "in the scenario or a default"});
    } else if (std::none_of(levers.begin(), levers.end(),
                            [&](const Lever& l) { return l.path == path; })) {
      levers.push_back(std::move(*lever));
    }
  }
  if (levers.size() > kMaxLevers) {
    problems.push_back({"<command line>", 0, 0, "--param",
                        "too many levers; expected at most " + std::to_string(kMaxLevers)});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return levers;
}

}  // namespace flywheel::serve
