#include "model.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

void Model::compile_sales(const Scenario& s) {
  const SlgSpec& slg = s.strategy.slg;
  if (!slg.enabled) return;
  for (const Segment& seg : s.market.segments) {
    const SegmentSales& x = seg.sales;
    deals.push_back(
        {x.sold, probability_threshold(x.lead_to_mql), probability_threshold(x.mql_to_sql),
         probability_threshold(x.sql_to_won), probability_threshold(x.renewal_rate),
         std::log(x.cycle_days_median), x.cycle_sigma, x.contract_seat_share,
         std::llround(seg.price_usd_per_seat_month * x.contract_price_multiplier * 100.0),
         x.ramp_start_share});
  }
  const double steps_per_month = time.steps_per_month();
  contract_term_steps =
      std::max(1, static_cast<int>(std::lround(slg.contract_term_months * steps_per_month)));
  ramp_months = std::min(slg.ramp_months, slg.contract_term_months);
  recycle_steps = static_cast<int>(std::lround(slg.recycle_months * steps_per_month));
  if (slg.true_up_months > 0) {
    true_up_steps =
        std::max(1, static_cast<int>(std::lround(slg.true_up_months * steps_per_month)));
  }
}

namespace {

// A window of `days` from a step boundary: whole steps, then the part of one more step (a
// window that ends on a boundary has a whole last step).
void split_window(double days, double step_days, int& full_steps, double& last_months) {
  full_steps = std::max(0, static_cast<int>(std::floor(days / step_days)));
  double last_days = days - full_steps * step_days;
  if (!(last_days > 1e-9 * step_days) && full_steps > 0) {
    --full_steps;
    last_days = step_days;
  }
  last_months = std::max(0.0, last_days) / kDaysPerMonth;
}

}  // namespace

void Model::compile_window(double window_days) {
  if (!(window_days > 0.0)) return;
  window_months = window_days / kDaysPerMonth;
  const double step_days = time.step_days();
  split_window(window_days - step_days / 2, step_days, window_full_steps,
               window_last_exposure_months);
  split_window(window_days, step_days, initial_window_full_steps, initial_window_last_months);
}

Model::Model(const Scenario& s, std::uint32_t replicate)
    : scenario(s),
      time(s.simulation.step, s.simulation.months),
      streams(s.simulation.seed, replicate) {
  const std::vector<PlanTier>& plan_tiers = s.strategy.plg.tiers;
  tiers = plan_tiers.empty() ? 1 : static_cast<int>(plan_tiers.size());
  for (const Segment& seg : s.market.segments) {
    for (int t = 0; t < tiers; ++t) {
      const double multiplier = plan_tiers.empty() ? 1.0 : plan_tiers[t].price_multiplier;
      seat_price_cents.push_back(std::llround(seg.price_usd_per_seat_month * multiplier * 100.0));
    }
    cancel_threshold.push_back(
        probability_threshold(step_probability(seg.cancel_per_month, time.step_months())));
  }
  compile_sales(s);
  compile_window(s.funnel.activation_window_days);
}

}  // namespace flywheel::model
