// The rules of unaware people on a network, cached by (heard, degree): flywheel.cpp's people
// pass looks one up for every unaware person with a neighbour who talks.
#pragma once

#include "flywheel.hpp"
#include "network_word_of_mouth.hpp"

#include <array>
#include <cstdint>

namespace flywheel::model {

// Bass on a network (Rand & Rust 2011): an unaware person hears at rate q x s / k, s = its
// neighbours in source stages at the step's middle (network_word_of_mouth.hpp), k = its
// neighbours. The rule depends on (s, k) only, and few pairs occur, so the rules of recent
// pairs are kept (direct-mapped) rather than recomputed with expm1 for each person.
class HeardRules {
 public:
  explicit HeardRules(const TransitionTable& t) : t_(t) {}

  // nullptr when s = 0 (the shared unaware rule applies).
  const StageRule* at(const ReplicateState& state, std::uint32_t p) {
    const std::uint64_t degree = state.network.offsets[p + 1] - state.network.offsets[p];
    const std::uint64_t heard =
        heard_midpoint(state.word_of_mouth, p, degree, t_.most_source_weight);
    if (heard == 0) return nullptr;
    Slot& slot = slots_[(heard * 0x9E3779B1u + degree) % kSlots];
    if (slot.heard != heard || slot.degree != degree) {
      std::array<double, kChannelCount> rates = t_.unaware_per_month;
      rates[static_cast<int>(Channel::word_of_mouth)] =
          graph_word_of_mouth_per_month(t_.imitation_q_per_month, heard, degree);
      slot = {heard, degree, unaware_rule(rates, t_.dt_months)};
    }
    return &slot.rule;
  }

 private:
  static constexpr std::uint32_t kSlots = 128;
  struct Slot {
    std::uint64_t heard = 0;  // 0: empty (never looked up)
    std::uint64_t degree = 0;
    StageRule rule{};
  };
  const TransitionTable& t_;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace flywheel::model
