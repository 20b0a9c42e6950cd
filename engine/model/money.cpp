#include "money.hpp"

#include "community_programs.hpp"

#include <cmath>

namespace flywheel::model {

namespace {

std::int64_t cents(double usd) {
  return std::llround(usd * 100.0);
}

}  // namespace

double sales_team_usd(const SlgSpec& slg, int month) {
  const double per_rep = slg.rep_cost_usd_per_month +
                         slg.sdrs_per_rep * slg.sdr_cost_usd_per_month +
                         slg.ses_per_rep * slg.se_cost_usd_per_month;
  return slg.reps.at(month) * per_rep + slg.programs_usd_per_month.at(month);
}

MonthSpend month_spend(const Model& model, int month) {
  const Scenario& s = model.scenario;
  MonthSpend spend;
  spend.marketing_cents = cents(s.strategy.marketing.spend_usd_per_month.at(month));
  spend.community_cents = community_spend_cents(s.strategy.clg, month);
  spend.content_pieces_planned = planned_content_pieces(s.strategy.clg, month);
  spend.community_acquisition_cents =
      std::llround(static_cast<double>(spend.community_cents) * s.strategy.clg.acquisition_share);
  if (s.strategy.slg.enabled) spend.sales_cents = cents(sales_team_usd(s.strategy.slg, month));
  spend.product_cents = cents(s.economics.product_spend_usd_per_month.at(month));
  spend.ga_cents = cents(s.economics.ga_usd_per_month.at(month));
  return spend;
}

}  // namespace flywheel::model
