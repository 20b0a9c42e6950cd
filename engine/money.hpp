// Phase 5: money spent by lever in a month (revenue is the accounts' MRR, phase 3). Spend is
// real money, not a sample: it is never scaled by agent_scale.
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct MonthSpend {
  std::int64_t marketing_cents = 0;
};

MonthSpend month_spend(const Model& model, int month);

}  // namespace flywheel::model
