#include "plan_tiers.hpp"

#include <algorithm>

namespace flywheel::model {

TierRules tier_rules(const Model& model, int month) {
  const PlgSpec& plg = model.scenario.strategy.plg;
  TierRules rules;
  rules.tiers = std::max<int>(1, static_cast<int>(plg.tiers.size()));
  if (!plg.enabled || rules.tiers == 1) return rules;
  const double dt = model.time.step_months();
  rules.upgrade = probability_threshold(step_probability(plg.upgrade_per_month.at(month), dt));
  rules.downgrade = probability_threshold(step_probability(plg.downgrade_per_month.at(month), dt));
  return rules;
}

std::uint8_t step_tier(const Model& model, const TierRules& rules, std::uint32_t account, int step,
                       std::uint8_t tier) {
  if (rules.upgrade == 0 && rules.downgrade == 0) return tier;
  const auto w =
      model.streams.words(account, static_cast<std::uint32_t>(step), Decision::plan_tier);
  if (tier + 1 < rules.tiers && w[0] < rules.upgrade) return tier + 1;
  if (tier > 0 && w[1] < rules.downgrade) return tier - 1;
  return tier;
}

}  // namespace flywheel::model
