// Word of mouth over a network, kept incrementally (phase 1 on a graph). heard[p] counts p's
// neighbours who are in a word-of-mouth source stage at the end of the latest step, so the
// people phase reads one number per unaware person instead of scanning its neighbours. After
// each step only the people whose source status changed push +1 or -1 to their neighbours;
// the pushes run in parallel blocks and are additions, which commute, so the counts are the
// same on any number of threads.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

namespace flywheel::model {

// The largest weight a person can have as a source, in 1/kSourceUnit: a person's heard count
// is at most its degree times this.
std::uint16_t max_source_weight(const Scenario& scenario);

// Counts from scratch (after the population and the network are built).
void count_word_of_mouth_sources(const Model& model, ReplicateState& state);

// After a step's every stage change: pushes the changes of source status to the neighbours.
void update_word_of_mouth_sources(const Model& model, ReplicateState& state);

}  // namespace flywheel::model
