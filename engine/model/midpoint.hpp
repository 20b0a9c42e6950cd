// Interaction hazards at the middle of the step (docs/model.md#time). A hazard that depends on
// other people's stages (word of mouth, the community's gravity and non-user draw, content
// reach, paid reach spread over the unaware) is read at the step's midpoint, not at its start:
// read at the start, it lags the continuous model by half a step, an error proportional to the
// step that compounds through growth. The drivers at the middle are predicted from their
// values at the last two step ends by log-linear extrapolation, exact for exponential growth or
// decline (the shape of diffusion), x_mid = x (x / x_before)^(1/2); when either is 0, linear,
// max(0, 1.5 x - 0.5 x_before). The log-linear factor is kept within [1/2, 2] so that a jump
// of a few people (the first sources) does not multiply a rate for a step.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

namespace flywheel::model {

// The value at the middle of the step predicted from the latest step end (now) and the one
// before.
double midpoint_value(double now, double before);

// The drivers at the end of the latest step.
Drivers current_drivers(const Model& model, const ReplicateState& state);

// At a step's start: state.drivers.mid for this step from the latest two step ends; the current
// drivers become the earlier ones for the next step. At step 0 the middle is the start.
void advance_drivers(const Model& model, ReplicateState& state);

}  // namespace flywheel::model
