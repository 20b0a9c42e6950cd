// Counter-based random numbers: Random123 Philox4x32-10 keyed by (seed, replicate) with counter
// (agent, step, decision kind, draw index). No generator state is shared, so results do not
// depend on threads or iteration order, and the same decision in two scenarios sees the same
// numbers (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <limits>

namespace flywheel {

// What a draw decides. Values are part of the determinism contract: never renumber.
enum class Decision : std::uint32_t {
  population_account_size = 1,
  population_stage = 2,
  transition = 3,
  account_event = 4,
  sales_lead = 5,          // SLG: an account becomes a lead (agent = account)
  sales_deal = 6,          // SLG: pipeline stage outcomes and cycle times (agent = account)
  trial = 7,               // PLG: trial conversion at expiry (agent = account)
  onboarding = 8,          // SLG: which people of a won account are onboarded (agent = person)
  community = 9,           // CLG: joining, leaving, engagement (agent = person)
  plan_tier = 10,          // PLG: tier upgrade and downgrade (agent = account)
  community_program = 11,  // CLG: program outcomes (agent = person)
  contract = 12,           // SLG: renewal decisions (agent = account)
  network = 13,            // graph generation (agent = person or account)
  referral = 14,           // referral invites and their acceptance (agent = person)
  design = 15,             // designs and bootstrap resampling, key (seed, 0): designs.hpp
  seats = 16,              // PLG: seat adds and removals of a self-serve account (agent = account)
  teammate_invite = 17,    // a teammate's in-product invite signs a colleague up (agent = person)
  calibration = 18,        // ABC-SMC draws, key (seed, generation), agent = particle, step = attempt
};

// Step value used for draws made while building the population (before step 0).
inline constexpr std::uint32_t kSetupStep = 0xFFFFFFFFu;

using Philox = r123::Philox4x32;  // 10 rounds (Philox4x32_R<10>)

class RandomStreams {
 public:
  RandomStreams(std::uint32_t seed, std::uint32_t replicate) : key_{{seed, replicate}} {}

  // Four independent 32-bit words for one (agent, step, kind, index).
  Philox::ctr_type words(std::uint32_t agent, std::uint32_t step, Decision kind,
                         std::uint32_t index = 0) const {
    Philox::ctr_type ctr{{agent, step, static_cast<std::uint32_t>(kind), index}};
    return Philox{}(ctr, key_);
  }

  Philox::key_type key() const { return key_; }

 private:
  Philox::key_type key_;
};

// A uniform random bit generator over one (agent, step, kind) counter, for Boost.Random
// distributions: yields the 4 words of index 0, then of index 1, and so on.
class DrawEngine {
 public:
  using result_type = std::uint32_t;
  DrawEngine(const RandomStreams& streams, std::uint32_t agent, std::uint32_t step, Decision kind)
      : streams_(streams), agent_(agent), step_(step), kind_(kind) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    if (used_ == 4) {
      block_ = streams_.words(agent_, step_, kind_, index_++);
      used_ = 0;
    }
    return block_[used_++];
  }

 private:
  const RandomStreams& streams_;
  std::uint32_t agent_, step_;
  Decision kind_;
  std::uint32_t index_ = 0;
  Philox::ctr_type block_{};
  int used_ = 4;
};

// Threshold t such that (word < t) has probability p for a uniform 32-bit word (exact to 2^-32).
inline std::uint64_t probability_threshold(double p) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 4294967296.0);
}

}  // namespace flywheel
