// Phase 2: individual transitions through the PLG flywheel
//   unaware -> aware -> evaluator -> beginner -> regular -> champion, churn, reactivation.
// Each stage has competing exits with hazard rates lambda_i (per month); in a step of length dt
// a person leaves with probability 1 - exp(-sum(lambda) dt) and takes exit i with probability
// lambda_i / sum(lambda). Monthly probabilities p enter as lambda = -ln(1 - p), so a single
// exit keeps exactly its monthly probability whatever the step.
#pragma once

#include "channels.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace flywheel::model {

struct Exit {
  Stage to = Stage::unaware;
  Channel channel = Channel::initial;  // for unaware -> aware: the channel responsible
  std::uint64_t upto = 0;              // taken when the second word < upto (cumulative)
};

struct StageRule {
  std::uint64_t leave = 0;  // leave when the first word < leave
  int exits = 0;
  std::array<Exit, 3> exit{};
};

struct TransitionTable {
  std::array<StageRule, kStageCount> rule{};
  // Active users of paying accounts: churn hazards x funnel.paid_churn_multiplier.
  std::array<StageRule, kStageCount> paid_rule{};
  bool paid_differs = false;  // false when the multiplier is 1: no account lookup needed
  StageRule evaluator_last;   // an evaluator's last step of the activation window
};

TransitionTable transition_table(const Model& model, const AwarenessRates& awareness);

// Time-to-value histogram in steps (0-based: activation k whole steps after the signup step);
// the last bin collects everything longer.
inline constexpr int kTtvBins = 1024;

// Counts of one block of people: flows accumulate over a month; stage_change is this step's
// net change of each stage's count (counting moves, not people, keeps the loop free of a
// per-person increment).
struct PeopleTally {
  StageCounts stage_change{};
  std::array<std::int64_t, kChannelCount> awareness{};
  std::array<std::int64_t, kChannelCount> signups{};
  std::int64_t activations = 0, adoptions = 0, advocacies = 0;
  std::int64_t dropouts = 0, reactivations = 0;
  StageCounts churn{};
  std::array<std::int64_t, kTtvBins> ttv_steps{};
};

// Applies one step to every person (reading account plans of the previous step); blocks[b]
// receives the counts of people block b.
void advance_people(const Model& model, const TransitionTable& table, ReplicateState& state,
                    int step, std::vector<PeopleTally>& blocks);

}  // namespace flywheel::model
