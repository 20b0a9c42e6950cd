// The market at month 0: accounts per segment with their sizes, people in them, start stages.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

namespace flywheel::model {

// Builds the accounts and people of one replicate (draws keyed by account or person index).
ReplicateState build_population(const Model& model);

}  // namespace flywheel::model
