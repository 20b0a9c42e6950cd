// The eight-bytes-at-a-time scan that lets whole blocks of idle accounts be skipped must agree
// with a plain loop for every range, length and position.
#include "../engine/byte_scan.hpp"

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
