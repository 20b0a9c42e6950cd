// PLG trial: an account without access starts a time-limited trial of the paid product when one
// of its people signs up (once per account). At expiry a trial with an active user converts with
// the trial's conversion probability (higher when a card was required); otherwise the account
// reverts to the free tier, or, without one, loses access (its users churn: accounts.cpp).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

// A trial of D days starts at the signup, on average at the middle of the signup step, and is
// decided at the accounts phase (the end) of a later step: D / dt - 1/2 steps after the signup
// step, a number rounded up or down at random in proportion (one draw at the start), so that
// trials last D days on average at any step (at least one step).
struct TrialRules {
  bool offered = false;
  int length_steps = 0;          // whole steps from start to expiry, one more with `longer`
  std::uint64_t longer = 0;      // threshold of the start draw for one more step
  std::uint64_t conversion = 0;  // threshold of the expiry draw
};

TrialRules trial_rules(const Model& model);

// Multiplier of the signups of people whose account has no access: a card required at signup
// deters some trial starts (1 when no card is required or no trial is offered).
double trial_signup_multiplier(const Model& model);

enum class TrialEvent : std::uint8_t { none, started, converted, expired };

// The trial decision of account `a` this step; updates plan, trial_end_step and flags.
// `engaged`: people of the account who signed up and have not churned (evaluators + active).
TrialEvent step_trial(const Model& model, const TrialRules& rules, Accounts& accounts,
                      std::uint32_t a, int step, int engaged, int active);

}  // namespace flywheel::model
