// The flywheel version, recorded in every output.
#pragma once

namespace flywheel {
inline constexpr const char* kVersion = "0.1.0";
}
