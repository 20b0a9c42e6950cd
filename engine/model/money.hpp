// Phase 5: money spent by lever in a month (revenue is the accounts' MRR, phase 3). Spend is
// real money, not a sample: it is never scaled by agent_scale.
//   marketing  strategy.marketing.spend_usd_per_month
//   sales      reps x fully loaded cost per rep (strategy.slg)
//   community  team x cost per member + program budgets (strategy.clg)
//   product    economics.product_spend_usd_per_month
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct MonthSpend {
  std::int64_t marketing_cents = 0;
  std::int64_t sales_cents = 0;
  std::int64_t community_cents = 0;
  std::int64_t product_cents = 0;
};

MonthSpend month_spend(const Model& model, int month);

}  // namespace flywheel::model
