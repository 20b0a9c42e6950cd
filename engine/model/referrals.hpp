// Phase 1, referral invites (docs/model.md#referrals-and-virality). Regulars and
// champions send Poisson(invites_per_month x dt) invites per step, drawn in the parallel people
// pass (referrer's stream, Decision::referral); each invite goes to a uniformly random person
// of the market (well mixed) or a uniformly random neighbour (graph) and is accepted with
// probability acceptance (x two_sided_multiplier). Accepted invites change ANOTHER person, so
// they are collected per block and applied by a serial pass in referrer order; an invitee
// accepted twice in a step joins the first referrer. Only people who never signed up (unaware
// or aware) can accept; they become evaluators at once (channel referral).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>
#include <vector>

namespace flywheel::model {

struct Invite {
  std::uint32_t referrer = 0;
  std::uint32_t invitee = 0;
};

// Invites per step of one referrer by stage, and the acceptance threshold of a 32-bit word.
struct ReferralRates {
  bool on = false;
  double regular_per_step = 0.0;
  double champion_per_step = 0.0;
  std::uint64_t accept = 0;
};

ReferralRates referral_rates(const Model& model, int month);

// Draws the accepted invites of referrer p (stage `from` at the step's start), appending them.
void draw_invites(const Model& model, const ReferralRates& rates, const ReplicateState& state,
                  std::uint32_t p, Stage from, int step, std::vector<Invite>& out);

struct PeopleTally;

// Serial pass: applies the blocks' accepted invites in block (= referrer) order.
void apply_invites(const Model& model, ReplicateState& state, int step,
                   std::vector<PeopleTally>& blocks);

// Tree size (signups) per seed, as a histogram: [n] = seeds whose tree has n signups.
std::vector<std::int64_t> cascade_histogram(const People& people);

}  // namespace flywheel::model
