// Fast tests over arrays of one-byte codes (stages, plans, flags), many bytes at a time: for
// skipping people and blocks that cannot change, where the test must cost far less than the
// work it saves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

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

// Sixteen one-byte codes as one vector (GCC and Clang vector extension): comparisons give 0xFF
// in the lanes where they hold, 0 elsewhere.
using Bytes16 = std::uint8_t __attribute__((vector_size(16)));

// A comparison's result (a vector of signed chars) as Bytes16.
template <class V>
Bytes16 lanes(V comparison) {
  return reinterpret_cast<Bytes16>(comparison);
}

// Every lane = value.
inline Bytes16 splat(std::uint8_t value) {
  Bytes16 v;
  std::memset(&v, value, sizeof v);
  return v;
}

inline Bytes16 load16(const void* data) {
  Bytes16 v;
  std::memcpy(&v, data, sizeof v);
  return v;
}

// Bit i = the top bit of lane i.
inline std::uint32_t lane_bits(Bytes16 v) {
#if defined(__SSE2__)
  return static_cast<std::uint32_t>(_mm_movemask_epi8(reinterpret_cast<__m128i>(v)));
#else
  std::uint32_t bits = 0;
  for (int i = 0; i < 16; ++i) bits |= std::uint32_t{v[i] >> 7} << i;
  return bits;
#endif
}

// The 64-bit mask of a run of 64 people from `lanes(offset)`, which tests the 16 people from
// offset on and returns 0xFF where the test holds.
template <class Lanes>
std::uint64_t run_mask(Lanes&& lanes) {
  std::uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) mask |= std::uint64_t{lane_bits(lanes(16 * k))} << (16 * k);
  return mask;
}

// Bit i set when bit codes[i] of `set` is set: the people of a run whose stage is in a set of
// stages (codes below 8).
inline std::uint64_t codes_in_set64(const std::uint8_t* codes, std::uint8_t set) {
  return run_mask([&](int offset) {
    const Bytes16 v = load16(codes + offset);
    Bytes16 hit = splat(0);
    for (int code = 0; code < 8; ++code) {
      if (set & (1u << code)) hit |= lanes(v == static_cast<std::uint8_t>(code));
    }
    return hit;
  });
}

// The same for the first n <= 64 codes (a block's last run may be shorter); codes are one-byte
// enums (stages) or bytes.
inline std::uint64_t codes_in_set(const void* codes, int n, std::uint8_t set) {
  const auto* c = static_cast<const std::uint8_t*>(codes);
  if (n == 64) return codes_in_set64(c, set);
  std::uint64_t mask = 0;
  for (int i = 0; i < n; ++i) mask |= std::uint64_t{(set >> c[i]) & 1u} << i;
  return mask;
}

// Four 32-bit words as one vector.
using Words4 = std::uint32_t __attribute__((vector_size(16)));

// Bit i set when words[i] < bound, for 64 words (the leave words of a run).
inline std::uint64_t words_below64(const std::uint32_t* words, std::uint32_t bound) {
  const Words4 b = {bound, bound, bound, bound};
  std::uint64_t mask = 0;
  for (int k = 0; k < 16; ++k) {
    Words4 v;
    std::memcpy(&v, words + 4 * k, sizeof v);
    const auto below = v < b;  // -1 in the lanes where it holds
#if defined(__SSE2__)
    const auto bits = static_cast<std::uint64_t>(
        _mm_movemask_ps(_mm_castsi128_ps(reinterpret_cast<__m128i>(below))));
#else
    std::uint64_t bits = 0;
    for (int i = 0; i < 4; ++i) bits |= std::uint64_t{below[i] != 0} << i;
#endif
    mask |= bits << (4 * k);
  }
  return mask;
}

}  // namespace flywheel::model
