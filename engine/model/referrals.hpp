// Phase 1, referral invites (docs/model.md#referrals-and-virality). Regulars and
// champions send Poisson(invites_per_month x months in the stage) invites per step (a move
// falls at the step's middle), drawn in the parallel people
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
#include <functional>
#include <vector>

namespace flywheel::model {

struct Invite {
  std::uint32_t referrer = 0;
  std::uint32_t invitee = 0;
};

// Invites per month of one referrer by stage, and the acceptance threshold of a 32-bit word.
struct ReferralRates {
  bool on = false;
  double regular_per_month = 0.0;
  double champion_per_month = 0.0;
  std::uint64_t accept = 0;
  double per_month(Stage s) const {
    return s == Stage::regular    ? regular_per_month
           : s == Stage::champion ? champion_per_month
                                  : 0.0;
  }
};

ReferralRates referral_rates(const Model& model, int month);

// Draws the accepted invites of referrer p, Poisson with this mean (the invites per month of
// each stage times the months of the step spent in it), appending them.
void draw_invites(const Model& model, const ReferralRates& rates, const ReplicateState& state,
                  std::uint32_t p, double mean, int step, std::vector<Invite>& out);

struct PeopleTally;

// What happens to an invitee in the rest of the step (the arrival rule of the people phase).
using ArrivalRule = std::function<void(std::uint32_t person, PeopleTally&)>;

// Serial pass: applies the blocks' accepted invites in block (= referrer) order; each accepted
// invitee then has the half step left as an evaluator (`arrive`).
void apply_invites(const Model& model, ReplicateState& state, int step,
                   std::vector<PeopleTally>& blocks, const ArrivalRule& arrive);

// Tree size (signups) per seed, as a histogram: [n] = seeds whose tree has n signups.
std::vector<std::int64_t> cascade_histogram(const People& people);

}  // namespace flywheel::model
