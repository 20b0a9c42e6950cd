#include "product_quality.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::model {

double quality_target(const ClgCoCreation& co, double feedback_members_real) {
  return -std::expm1(-std::max(0.0, feedback_members_real) / co.feedback_scale_members);
}

double next_quality(const ClgCoCreation& co, double quality, double feedback_members_real,
                    double step_months) {
  // The exact relaxation toward a target held over the step, dq/dt = (target - q) / lag: the
  // same months give the same pull whatever the step (and it never overshoots).
  const double pull = -std::expm1(-step_months / co.lag_months);
  return quality + (quality_target(co, feedback_members_real) - quality) * pull;
}

void update_product_quality(const Model& model, CommunityState& community) {
  const ClgSpec& clg = model.scenario.strategy.clg;
  if (!clg.enabled || !clg.co_creation.enabled) return;
  const double feedback =
      static_cast<double>(community.contributors()) * model.scenario.simulation.agent_scale;
  community.product_quality =
      next_quality(clg.co_creation, community.product_quality, feedback, model.time.step_months());
}

QualityMultipliers quality_multipliers(const ClgSpec& clg, double quality) {
  if (!clg.enabled || !clg.co_creation.enabled) return {};
  return {1.0 + clg.co_creation.activation_lift * quality,
          1.0 - clg.co_creation.churn_reduction * quality};
}

}  // namespace flywheel::model
