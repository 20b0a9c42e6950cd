// PLG trial: an account without access starts a time-limited trial of the paid product when one
// of its people signs up (once per account). At expiry a trial with an active user converts with
// the trial's conversion probability (higher when a card was required); otherwise the account
// reverts to the free tier, or, without one, loses access (its users churn: accounts.cpp).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

struct TrialRules {
  bool offered = false;
  int length_steps = 0;          // whole steps from start to expiry (at least 1)
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
