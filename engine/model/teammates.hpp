// Colleagues reached through the account (funnel.teammate_invites_per_month): while an account
// has access to the product, each of its people who has not signed up (unaware or aware) signs
// up, as an evaluator of channel team, with probability 1 - exp(-r x a / (n - 1) x dt) in a
// step, a = the account's active users at the step's middle (the mean of its start and end: a
// move falls at the middle of its step), n = its people. The invitee signs up, on average, at
// the step's middle; the people phase makes up the half step it missed in the step after
// (invited_last_step, docs/model.md#time). An
// active user's invites are spread over its n - 1 teammates, and only those still outside
// accept, so the account's own people bound its growth: a team saturates, where market-wide
// word of mouth would keep sending colleagues.
#pragma once

#include "accounts.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

// The invites of one account with `active` active users at the step's middle (nothing when
// r = 0).
void invite_teammates(const Model& model, ReplicateState& state, std::uint32_t a, int step,
                      double active, AccountTally& tally);

// Whether person p accepted a teammate's invite in the step before `step`: it then evaluates
// over half a step more in `step`.
inline bool invited_last_step(const People& people, std::uint32_t p, int step) {
  return people.channel[p] == Channel::team && people.signup_step[p] == step - 1;
}

}  // namespace flywheel::model
