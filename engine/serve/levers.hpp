// Choosing the playground's levers: by default the numbers and switches written in the scenario
// file (with the schema's ranges and units), or the key paths given with --param.
#pragma once

#include <flywheel/serve/playground.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flywheel::serve {

// At most this many levers are chosen by default (file order); --param has no limit but this.
inline constexpr std::size_t kMaxLevers = 40;

// `text` is the scenario file; `resolved` its scenario_to_json (every value, defaults filled).
// Throws InputError (file "<command line>", path = the --param) for a --param that is not a
// number, integer or boolean parameter of the scenario.
std::vector<Lever> choose_levers(const std::string& text, const nlohmann::json& resolved,
                                 const std::vector<std::string>& params);

// The value at a `--set` key path ("market.segments[0].share") in `resolved`, or nullopt.
std::optional<nlohmann::json> value_at(const nlohmann::json& resolved, const std::string& path);

}  // namespace flywheel::serve
