// The phases of one step that have fast paths (masks, batched draws, hazard bounds, skipping of
// idle people and accounts), as a replaceable set. The engine runs its own; the tests run plain
// versions of the same rules (tests/reference/) through the same step and require the same
// months, so a fast path that drifts from its rule fails a test instead of moving nobody.
#pragma once

#include "accounts.hpp"
#include "channels.hpp"
#include "community.hpp"
#include "flywheel.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <flywheel/model/engine.hpp>

#include <cstdint>
#include <vector>

namespace flywheel::model {

struct StepPhases {
  // Phase 2: every person's transition under this step's awareness rates and hazard multipliers
  // (with referral invites).
  void (*people)(const Model&, const AwarenessRates&, const RuleModifiers&, ReplicateState&,
                 int step, int month, std::vector<PeopleTally>&);
  // Phase 3, the account pass (before the serial sales floor).
  void (*accounts)(const Model&, ReplicateState&, int step, int month, std::vector<AccountTally>&);
  // Phase 4: membership and engagement (does nothing when the community is off).
  void (*community)(const Model&, ReplicateState&, int step, int month,
                    std::vector<CommunityTally>&);
};

// The engine's phases: what run_replicate(scenario, replicate) runs.
const StepPhases& engine_phases();

// One replicate with these phases in place of the engine's.
ReplicateResult run_replicate(const Scenario& scenario, std::uint32_t replicate,
                              const StepPhases& phases, const MonthWatch& watch = {});

}  // namespace flywheel::model
