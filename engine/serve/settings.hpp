// The page's settings -> a scenario: {"path": value} on the playground's levers only, as
// `--set` overrides through the loader, so that a bad value is refused by the schema with its
// key path and expected range.
#pragma once

#include <flywheel/scenario/loader.hpp>
#include <flywheel/serve/playground.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flywheel::serve {

// The settings of a request as overrides, in lever order; a 400 Reply when the request is not
// an object of lever paths to numbers (booleans for switches).
struct SettingsResult {
  std::vector<Override> overrides;
  std::optional<Reply> error;
};
SettingsResult parse_settings(const nlohmann::json& request, const std::vector<Lever>& levers);

// A 400 Reply listing an InputError's problems: [{"path", "message", "text"}].
Reply input_error_reply(const InputError& error);

// A 400 Reply for one problem of the request itself.
Reply bad_request(const std::string& path, const std::string& message);

}  // namespace flywheel::serve
