#include "settings.hpp"

#include <fmt/format.h>

#include <cmath>

namespace flywheel::serve {

Reply bad_request(const std::string& path, const std::string& message) {
  nlohmann::json problem = {{"path", path}, {"message", message}};
  problem["text"] = path.empty() ? message : path + ": " + message;
  return {400, {{"error", "invalid request"}, {"problems", nlohmann::json::array({problem})}}};
}

Reply input_error_reply(const InputError& error) {
  nlohmann::json problems = nlohmann::json::array();
  for (const Diagnostic& d : error.diagnostics()) {
    // The file of an override's problem is "--set", its line the override's ordinal: the page
    // knows the setting by its path, so only path and message go back.
    problems.push_back({{"path", d.path},
                        {"message", d.message},
                        {"text", d.path.empty() ? d.message : d.path + ": " + d.message}});
  }
  return {400, {{"error", "invalid settings"}, {"problems", problems}}};
}

SettingsResult parse_settings(const nlohmann::json& request, const std::vector<Lever>& levers) {
  SettingsResult result;
  if (!request.is_object()) {
    result.error = bad_request("", "the body is not a JSON object; expected {\"settings\": {...}}");
    return result;
  }
  const auto it = request.find("settings");
  if (it == request.end() || it->is_null()) return result;
  if (!it->is_object()) {
    result.error = bad_request("settings", "not an object; expected {\"key.path\": value, ...}");
    return result;
  }
  for (const auto& [path, value] : it->items()) {
    const auto lever = std::find_if(levers.begin(), levers.end(),
                                    [&](const Lever& l) { return l.path == path; });
    if (lever == levers.end()) {
      result.error = bad_request(path.substr(0, 200),
                                 "not a lever of this playground; expected one of the paths "
                                 "GET /api/levers lists");
      return result;
    }
  }
  // Lever order, so that the same settings always make the same overrides (and command).
  for (const Lever& lever : levers) {
    const auto value = it->find(lever.path);
    if (value == it->end()) continue;
    std::string text;
    if (lever.kind == "boolean") {
      if (!value->is_boolean()) {
        result.error = bad_request(lever.path, "not a boolean; expected true or false");
        return result;
      }
      text = value->get<bool>() ? "true" : "false";
    } else {
      if (!value->is_number() || !std::isfinite(value->get<double>())) {
        result.error = bad_request(lever.path, "not a number; expected a JSON number");
        return result;
      }
      // A number goes to the loader as written (shortest text that reads back): the schema
      // checks its type and range, e.g. an integer key refuses 2.5.
      text = value->is_number_integer() ? std::to_string(value->get<std::int64_t>())
                                        : fmt::format("{}", value->get<double>());
    }
    result.overrides.push_back({lever.path, text});
  }
  return result;
}

}  // namespace flywheel::serve
