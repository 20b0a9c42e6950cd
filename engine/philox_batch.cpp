#include "philox_batch.hpp"

namespace flywheel::model {

namespace {

// Random123's constants (philox.h): multipliers and the Weyl key increments.
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;

}  // namespace

// One round per pass over the lanes (Random123's _philox4x32round), the key bumped between
// rounds: struct-of-arrays lanes with no dependence between them, so each pass vectorizes.
__attribute__((target_clones("avx2", "default"))) void philox_words01(
    const Philox::key_type& key, std::uint32_t first, std::uint32_t step, Decision kind, int n,
    std::uint32_t* w0, std::uint32_t* w1) {
  std::uint32_t c0[kDrawBatch], c1[kDrawBatch], c2[kDrawBatch], c3[kDrawBatch];
  for (int i = 0; i < n; ++i) {
    c0[i] = first + static_cast<std::uint32_t>(i);
    c1[i] = step;
    c2[i] = static_cast<std::uint32_t>(kind);
    c3[i] = 0;
  }
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < n; ++i) {
      const std::uint64_t p0 = std::uint64_t{kM0} * c0[i];
      const std::uint64_t p1 = std::uint64_t{kM1} * c2[i];
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      c0[i] = hi1 ^ c1[i] ^ k0;
      c1[i] = lo1;
      c2[i] = hi0 ^ c3[i] ^ k1;
      c3[i] = lo0;
    }
    k0 += kW0;
    k1 += kW1;
  }
  for (int i = 0; i < n; ++i) {
    w0[i] = c0[i];
    w1[i] = c1[i];
  }
}

}  // namespace flywheel::model
