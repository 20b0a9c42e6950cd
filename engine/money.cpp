#include "money.hpp"

#include <cmath>

namespace flywheel::model {

MonthSpend month_spend(const Model& model, int month) {
  const StrategySpec& strategy = model.scenario.strategy;
  return {std::llround(strategy.marketing.spend_usd_per_month.at(month) * 100.0)};
}

}  // namespace flywheel::model
