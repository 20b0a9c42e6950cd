// Word of mouth over a network, kept incrementally (phase 1 on a graph). heard[p] counts p's
// neighbours who are in a word-of-mouth source stage at the end of the latest step (and
// heard_before at the end of the step before), so the people phase reads two numbers per
// unaware person instead of scanning its neighbours. After each step only the people whose
// source status changed push +1 or -1 to their neighbours;
// the pushes run in parallel blocks and are additions, which commute, so the counts are the
// same on any number of threads.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <algorithm>
#include <cstdint>

namespace flywheel::model {

// The largest weight a person can have as a source, in 1/kSourceUnit: a person's heard count
// is at most its degree times this.
std::uint16_t max_source_weight(const Scenario& scenario);

// Person p's weight of word-of-mouth sources at the middle of the step, in 1 / (2 kSourceUnit):
// from the counts at the last two step ends, heard + (heard - heard_before) / 2 (a source that
// arrived during the last step missed, on average, its second half), never negative and never
// more than all of its `degree` neighbours at the largest weight `most` (in 1 / kSourceUnit).
inline std::uint64_t heard_midpoint(const WordOfMouthGraph& w, std::uint32_t p,
                                    std::uint64_t degree, std::uint16_t most) {
  const std::int64_t twice = 3 * std::int64_t{w.heard[p]} - std::int64_t{w.heard_before[p]};
  if (twice <= 0) return 0;
  return std::min(static_cast<std::uint64_t>(twice), 2 * degree * most);
}

// The word-of-mouth rate per month of a person with this midpoint weight and degree: q x s / k.
inline double graph_word_of_mouth_per_month(double q, std::uint64_t heard_mid,
                                            std::uint64_t degree) {
  if (heard_mid == 0 || degree == 0) return 0.0;
  const double sources = static_cast<double>(heard_mid) / (2 * kSourceUnit);  // exact: 2^-9
  return q * sources / static_cast<double>(degree);
}

// Counts from scratch (after the population and the network are built).
void count_word_of_mouth_sources(const Model& model, ReplicateState& state);

// After a step's every stage change: pushes the changes of source status to the neighbours.
void update_word_of_mouth_sources(const Model& model, ReplicateState& state);

}  // namespace flywheel::model
