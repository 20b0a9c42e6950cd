// Phase 5: money spent by lever in a month (revenue is the accounts' MRR, phase 3). Spend is
// real money, not a sample: it is never scaled by agent_scale.
//   marketing  strategy.marketing.spend_usd_per_month
//   sales      reps x (rep cost + SDRs per rep x SDR cost + SEs per rep x SE cost) + programs
//              (strategy.slg)
//   community  team x cost per member + program budgets + planned content pieces x cost per
//              piece (strategy.clg); its acquisition share
//              (strategy.clg.acquisition_share) counts in CAC
//   product    R&D: economics.product_spend_usd_per_month
//   G&A        economics.ga_usd_per_month
#pragma once

#include "model.hpp"

#include <cstdint>

namespace flywheel::model {

struct MonthSpend {
  std::int64_t marketing_cents = 0;
  std::int64_t sales_cents = 0;
  std::int64_t community_cents = 0;
  std::int64_t community_acquisition_cents = 0;  // the share of community_cents in CAC
  std::int64_t product_cents = 0;
  std::int64_t ga_cents = 0;
  double content_pieces_planned = 0.0;  // the pieces the community spend pays for (real)
};

MonthSpend month_spend(const Model& model, int month);

// Fully loaded cost of the sales team in a month, USD: reps, the SDRs and SEs around them, and
// the marketing programs for sales.
double sales_team_usd(const SlgSpec& slg, int month);

}  // namespace flywheel::model
