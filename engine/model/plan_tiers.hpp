// PLG plan tiers: a paying account is on one tier of strategy.plg.tiers (cheapest first); each
// month it may move one tier up (an expansion of MRR) or one tier down (a contraction). The seat
// price of a tier is the segment's list price x the tier's price multiplier.
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct TierRules {
  int tiers = 1;
  std::uint64_t upgrade = 0;  // per-step thresholds
  std::uint64_t downgrade = 0;
};

TierRules tier_rules(const Model& model, int month);

// The tier after this step's draws: up with the upgrade probability (below the top tier), else
// down with the downgrade probability (above the first).
std::uint8_t step_tier(const Model& model, const TierRules& rules, std::uint32_t account, int step,
                       std::uint8_t tier);

}  // namespace flywheel::model
