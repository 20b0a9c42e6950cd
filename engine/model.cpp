#include "model.hpp"

#include <cmath>

namespace flywheel::model {

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
  const double window_days = s.funnel.activation_window_days;
  if (window_days > 0.0) {
    window_full_steps = static_cast<int>(std::floor(window_days / time.step_days()));
    window_last_exposure_months =
        (window_days - window_full_steps * time.step_days()) / kDaysPerMonth;
  }
}

}  // namespace flywheel::model
