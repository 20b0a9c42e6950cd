// Referral program levers (strategy.referrals): active users invite contacts who are not users
// yet; an accepted invite is a signup attributed to the referrer (channel referral). Included by
// strategy.hpp.
#pragma once

#include <flywheel/spec/schedule.hpp>

namespace flywheel {

struct ReferralSpec {
  bool enabled = false;
  Schedule regular_invites_per_month = Schedule::constant(0.0);   // invites a regular sends
  Schedule champion_invites_per_month = Schedule::constant(0.0);  // invites a champion sends
  double acceptance = 0.1;            // probability an invite reaching a non-user is accepted
  bool two_sided = false;             // both sides get the reward
  double two_sided_multiplier = 1.6;  // acceptance x this when two_sided (capped at 1)
  double reward_usd = 0.0;            // paid per accepted referral (both sides together)
  bool operator==(const ReferralSpec&) const = default;

  // Acceptance probability of one invite reaching a person who can accept.
  double acceptance_probability() const {
    const double p = two_sided ? acceptance * two_sided_multiplier : acceptance;
    return p < 1.0 ? p : 1.0;
  }
};

}  // namespace flywheel
