#include "money.hpp"

#include "community_programs.hpp"

#include <cmath>

namespace flywheel::model {

namespace {

std::int64_t cents(double usd) {
  return std::llround(usd * 100.0);
}

}  // namespace

MonthSpend month_spend(const Model& model, int month) {
  const Scenario& s = model.scenario;
  MonthSpend spend;
  spend.marketing_cents = cents(s.strategy.marketing.spend_usd_per_month.at(month));
  spend.community_cents = community_spend_cents(s.strategy.clg, month);
  if (s.strategy.slg.enabled) {
    spend.sales_cents =
        cents(s.strategy.slg.reps.at(month) * s.strategy.slg.rep_cost_usd_per_month);
  }
  spend.product_cents = cents(s.economics.product_spend_usd_per_month.at(month));
  return spend;
}

}  // namespace flywheel::model
