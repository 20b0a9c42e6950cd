// Colleagues reached through the account (funnel.teammate_invites_per_month): while an account
// has access to the product, each of its people who has not signed up (unaware or aware) signs
// up, as an evaluator of channel team, with probability 1 - exp(-r x a / (n - 1) x dt) in a
// step, a = the account's active users at the start of the accounts phase, n = its people. An
// active user's invites are spread over its n - 1 teammates, and only those still outside
// accept, so the account's own people bound its growth: a team saturates, where market-wide
// word of mouth would keep sending colleagues.
#pragma once

#include "accounts.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

// The invites of one account with `active` active users in this step (nothing when r = 0).
void invite_teammates(const Model& model, ReplicateState& state, std::uint32_t a, int step,
                      int active, AccountTally& tally);

}  // namespace flywheel::model
