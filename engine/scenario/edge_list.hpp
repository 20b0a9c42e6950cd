// Reading `network.edge_list` files: one tie per line, `a,b`, `a<TAB>b` or `a b` (0-based person
// indices), `#` comments and blank lines skipped. Every problem is reported with file:line:col.
#pragma once

#include "common/diagnostics.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

using EdgePairs = std::vector<std::array<std::uint32_t, 2>>;

// Parses `text` (shown as `file`) for a market of `people` simulated people. Unknown ids,
// self-loops, duplicate ties (either direction) and malformed lines are added to diagnostics.
EdgePairs parse_edge_list(std::string_view text, const std::string& file, std::int64_t people,
                          Diagnostics& diagnostics);

}  // namespace flywheel::loader
