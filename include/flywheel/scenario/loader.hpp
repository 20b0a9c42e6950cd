// Reading scenarios: YAML file (+ extends chain) + command-line overrides -> validated Scenario.
// All problems are collected and thrown together as one InputError.
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/spec/scenario.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flywheel {

// One `--set key.path=value` override; the value is parsed as a YAML scalar or flow sequence.
struct Override {
  std::string path;
  std::string value;
};

// Parses "key.path=value"; throws InputError (file "<command line>") when malformed.
Override parse_override(const std::string& text);

// Parses every "key.path=value" text; all malformed ones are reported together in one InputError.
std::vector<Override> parse_overrides(const std::vector<std::string>& texts);

// Loads, merges `extends:` chains, applies overrides, validates. Throws InputError. With
// `warnings`, also sets it to scenario_warnings (warnings.hpp), each located at its key in the
// YAML (file:line:column of the key, or of its closest ancestor written when it is a default).
Scenario load_scenario(const std::string& file, const std::vector<Override>& overrides = {},
                       std::vector<Diagnostic>* warnings = nullptr);

// Same, from YAML text in memory (`name` is used as the file name in messages); `extends:` paths
// are resolved relative to `base_dir`.
Scenario load_scenario_text(const std::string& yaml, const std::string& name,
                            const std::vector<Override>& overrides = {},
                            const std::string& base_dir = ".",
                            std::vector<Diagnostic>* warnings = nullptr);

// The resolved scenario as JSON text (every parameter, defaults filled in), for summary.json.
nlohmann::json scenario_to_json(const Scenario& scenario);

// The parameter reference (every parameter: path, type, unit, range, default, meaning) as
// Markdown; docs/parameters.md is this text.
std::string parameter_reference_markdown();

// Largest scenario file accepted, bytes.
inline constexpr std::size_t kMaxScenarioBytes = 1 << 20;

}  // namespace flywheel
