// Phase 1: the channels that make people aware, as hazard rates per unaware person.
//   organic       Bass innovation p                                  (Bass 1969)
//   word of mouth Bass imitation q x share of people in source stages (Bass 1969)
//   paid          spend / cost per aware person, spread over the unaware
//   community     content reach and the draw of practice and play communities (CLG);
//                 member champions weigh more in word of mouth (champion program)
// Rates read the stage counts at the end of the previous step (synchronous update).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <array>

namespace flywheel::model {

struct AwarenessRates {
  std::array<double, kChannelCount> per_month{};  // indexed by Channel
};

AwarenessRates awareness_rates(const Model& model, const StageCounts& counts,
                               const CommunityState& community, int month);

}  // namespace flywheel::model
