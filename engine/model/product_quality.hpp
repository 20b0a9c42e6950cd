// Phase 4, co-creation: feedback from contributing and leading members raises a product-quality
// index q in [0, 1] with a lag and diminishing returns (strategy.clg.co_creation):
//   target = 1 - exp(-feedback_members_real / feedback_scale_members)
//   q <- q + (target - q) x (1 - exp(-dt / lag_months))        after every step
//   activation x (1 + activation_lift x q), churn x (1 - churn_reduction x q)   for everyone
#pragma once

#include "model.hpp"
#include "model_state.hpp"

namespace flywheel::model {

double quality_target(const ClgCoCreation& co, double feedback_members_real);
double next_quality(const ClgCoCreation& co, double quality, double feedback_members_real,
                    double step_months);
void update_product_quality(const Model& model, CommunityState& community);

struct QualityMultipliers {
  double activation = 1.0, churn = 1.0;
};
QualityMultipliers quality_multipliers(const ClgSpec& clg, double quality);

}  // namespace flywheel::model
