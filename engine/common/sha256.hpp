// SHA-256 (FIPS 180-4), for the identity of a sweep: its spec and resolved base scenario.
#pragma once

#include <string>
#include <string_view>

namespace flywheel {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace flywheel
