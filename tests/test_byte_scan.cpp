// The eight-bytes-at-a-time scan that lets whole blocks of idle accounts be skipped must agree
// with a plain loop for every range, length and position.
#include "kernels/byte_scan.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using flywheel::model::any_byte_in;

TEST_CASE("any_byte_in agrees with a plain loop", "[byte_scan]") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20000; ++trial) {
    const std::size_t n = rng() % 40;
    const std::size_t offset = rng() % 8;  // unaligned starts
    std::vector<std::uint8_t> buffer(n + offset);
    // Mostly one code with a few others, so hits are rare and land anywhere, tail included.
    const auto common = static_cast<std::uint8_t>(rng() % 128);
    for (auto& b : buffer) b = rng() % 10 == 0 ? static_cast<std::uint8_t>(rng() % 128) : common;
    const auto lo = static_cast<std::uint8_t>(rng() % 128);
    const auto hi = static_cast<std::uint8_t>(lo + rng() % (128 - lo));
    const std::uint8_t* data = buffer.data() + offset;
    const bool expected =
        std::any_of(data, data + n, [&](std::uint8_t b) { return b >= lo && b <= hi; });
    INFO("n " << n << " lo " << int(lo) << " hi " << int(hi));
    REQUIRE(any_byte_in(data, n, lo, hi) == expected);
  }
}

TEST_CASE("any_byte_in finds a lone hit in every lane and misses neighbours", "[byte_scan]") {
  for (std::size_t at = 0; at < 24; ++at) {
    std::vector<std::uint8_t> stages(24, 1);  // aware
    stages[at] = 6;                            // churned: outside [2, 5]
    CHECK_FALSE(any_byte_in(stages.data(), stages.size(), 2, 5));
    stages[at] = 2;
    CHECK(any_byte_in(stages.data(), stages.size(), 2, 5));
    stages[at] = 5;
    CHECK(any_byte_in(stages.data(), stages.size(), 2, 5));
    CHECK_FALSE(any_byte_in(stages.data(), at, 2, 5));  // the hit just past the end
  }
  CHECK_FALSE(any_byte_in(nullptr, 0, 0, 127));
}

TEST_CASE("codes_in_set64 and words_below64 agree with plain loops", "[byte_scan]") {
  using flywheel::model::codes_in_set;
  using flywheel::model::codes_in_set64;
  using flywheel::model::words_below64;
  std::mt19937 rng(11);
  for (int trial = 0; trial < 2000; ++trial) {
    std::uint8_t codes[64 + 3];
    std::uint32_t words[64];
    for (auto& c : codes) c = static_cast<std::uint8_t>(rng() % 8);
    for (auto& w : words) w = static_cast<std::uint32_t>(rng());
    const auto set = static_cast<std::uint8_t>(rng() % 256);
    // Bounds at the extremes and at the words themselves (the comparison is strict).
    const std::uint32_t bound = trial % 4 == 0   ? 0u
                                : trial % 4 == 1 ? 0xFFFFFFFFu
                                : trial % 4 == 2 ? words[rng() % 64]
                                                 : static_cast<std::uint32_t>(rng());
    const std::uint8_t* run = codes + trial % 4;  // unaligned starts
    std::uint64_t in_set = 0, below = 0;
    for (int i = 0; i < 64; ++i) {
      in_set |= std::uint64_t{(set >> run[i]) & 1u} << i;
      below |= std::uint64_t{words[i] < bound} << i;
    }
    INFO("set " << int(set) << " bound " << bound);
    REQUIRE(codes_in_set64(run, set) == in_set);
    const int n = static_cast<int>(rng() % 65);  // a shorter run: only its first n bits
    REQUIRE(codes_in_set(run, n, set) == (n == 64 ? in_set : in_set & ((std::uint64_t{1} << n) - 1)));
    REQUIRE(words_below64(words, bound) == below);
  }
}
