// Random draws shared by the experiment designs and the bootstrap: the counter layout of
// Decision::design (documented in designs.hpp) and a Fisher-Yates shuffle over Philox.
#pragma once

#include <flywheel/common/rng.hpp>

#include <boost/random/uniform_int_distribution.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace flywheel::design_draws {

// Designs are one stream per seed; replicates play no part.
inline constexpr std::uint32_t kReplicate = 0;

// Counter words no point, round or dimension index reaches (those are ints, below 2^31).
inline constexpr std::uint32_t kLhsPermutationAgent = 0xFFFFFFFFu;
inline constexpr std::uint32_t kBootstrapStep = 0xFFFFFFFEu;
inline constexpr std::uint32_t kMorrisStep = 0xFFFFFFFDu;

// Uniform integer in [0, n - 1] (Boost's algorithm over 32-bit words, pinned in test_rng.cpp).
inline int uniform_index(DrawEngine& engine, int n) {
  const auto last = static_cast<std::uint32_t>(n - 1);
  return static_cast<int>(boost::random::uniform_int_distribution<std::uint32_t>(0, last)(engine));
}

// Fisher-Yates (Durstenfeld) from the last position down: swap position i with a uniform
// position in [0, i]. std::shuffle is avoided because its algorithm differs between libraries.
template <class T>
void shuffle(std::vector<T>& values, DrawEngine& engine) {
  for (int i = static_cast<int>(values.size()) - 1; i > 0; --i) {
    std::swap(values[i], values[uniform_index(engine, i + 1)]);
  }
}

}  // namespace flywheel::design_draws
