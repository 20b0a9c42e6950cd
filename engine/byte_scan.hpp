// Fast tests over arrays of one-byte codes (stages, plans, flags), eight bytes at a time: for
// skipping whole blocks that cannot change, where the test must cost far less than the work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace flywheel::model {

// True if some byte of [data, data + n) lies in [lo, hi]. Every byte must be below 128 (small
// enum codes), so adding 0x80 - k to a byte sets its high bit exactly when byte >= k, with no
// carry into the next byte.
inline bool any_byte_in(const void* data, std::size_t n, std::uint8_t lo, std::uint8_t hi) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const std::uint64_t at_least_lo = kOnes * (0x80u - lo);
  const std::uint64_t above_hi = kOnes * (0x80u - (hi + 1u));
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes + i, 8);
    if (((w + at_least_lo) & ~(w + above_hi) & kHigh) != 0) return true;
  }
  for (; i < n; ++i) {
    if (bytes[i] >= lo && bytes[i] <= hi) return true;
  }
  return false;
}

}  // namespace flywheel::model
