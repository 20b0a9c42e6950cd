// The reference step: the phases that have fast paths in the engine (people, accounts,
// community) written as plainly as docs/model.md states them. Every person and every account
// is visited in index order, none is skipped, no bound decides for a rule: each decision draws
// its Philox words (the same counter as the engine's) and compares them with the threshold of
// the hazards computed from the spec there and then. A draw the engine skips because its outcome
// is certain draws nothing that another decision reads (counter-based streams), so both steps
// must give the same months, number for number (tests/test_reference_step.cpp).
#pragma once

#include "model/step.hpp"

namespace flywheel::reference {

// Phase 2: transitions, per person (reference_people.cpp).
void advance_people(const model::Model& model, const model::AwarenessRates& awareness,
                    const model::RuleModifiers& modifiers, model::ReplicateState& state, int step,
                    int month, std::vector<model::PeopleTally>& blocks);

// Phase 3, the account pass, per account (reference_accounts.cpp).
void advance_accounts(const model::Model& model, model::ReplicateState& state, int step, int month,
                      std::vector<model::AccountTally>& blocks);

// Phase 4, membership and engagement, per person (reference_community.cpp).
void advance_community(const model::Model& model, model::ReplicateState& state, int step, int month,
                       std::vector<model::CommunityTally>& blocks);

// The engine's step with these three phases in place of its own.
inline const model::StepPhases& phases() {
  static constexpr model::StepPhases reference{advance_people, advance_accounts, advance_community};
  return reference;
}

}  // namespace flywheel::reference
