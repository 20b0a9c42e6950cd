// Phase 1: the channels that make people aware, as hazard rates per unaware person.
//   organic       Bass innovation p                                  (Bass 1969)
//   word of mouth Bass imitation q x share of people in source stages (Bass 1969)
//   paid          spend / cost per aware person, spread over the unaware
//   community     content reach and the draw of practice and play communities (CLG);
//                 member champions weigh more in word of mouth (champion program)
// Rates read the stocks that drive them at the middle of the step (midpoint.hpp).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <array>

namespace flywheel::model {

struct AwarenessRates {
  std::array<double, kChannelCount> per_month{};  // indexed by Channel
};

// This step's rates, from the drivers predicted at the step's middle (midpoint.hpp).
AwarenessRates awareness_rates(const Model& model, const ReplicateState& state, int month);

}  // namespace flywheel::model
