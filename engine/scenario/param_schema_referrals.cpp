// Schema part: the referral program (strategy.referrals).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor referral_field() {
  return field<&Scenario::strategy, &StrategySpec::referrals, Members...>();
}

}  // namespace

// Sources cited below:
//   [DH] Drew Houston, "Dropbox: Startup Lessons Learned", Startup Lessons Learned conference,
//        April 2010 (slides): the two-sided referral program (extra storage for both sides)
//        permanently raised signups by 60%; referrals were 35% of daily signups (April 2010);
//        2.8 million direct referral invites in 30 days. The mapping of these figures onto
//        invite rates and acceptance probabilities is an assumption of this model.
std::vector<Param> referral_params() {
  using R = ReferralSpec;
  const Range rate{0, 1e4};
  return {
      lever_block("strategy.referrals",
                  "Referral program (phase 1): regulars and champions invite non-users; an "
                  "accepted invite is a signup attributed to the referrer (channel referral).",
                  referral_field<&R::enabled>()),
      enabled_switch("strategy.referrals.enabled", referral_field<&R::enabled>()),
      defaulted("strategy.referrals.regular_invites_per_month",
                schedule(rate, "a number of invites"), Schedule::constant(0.0),
                "invites/person/month",
                "Invites one regular sends per month (Poisson; an assumption per product).",
                referral_field<&R::regular_invites_per_month>()),
      defaulted("strategy.referrals.champion_invites_per_month",
                schedule(rate, "a number of invites"), Schedule::constant(0.0),
                "invites/person/month",
                "Invites one champion sends per month (Poisson; advocates invite more).",
                referral_field<&R::champion_invites_per_month>()),
      defaulted("strategy.referrals.acceptance", probability(), 0.1, "probability",
                "An invite reaching a person who can accept (unaware, aware, or churned without "
                "ever activating) is accepted: the person signs up at once (an assumption).",
                referral_field<&R::acceptance>()),
      defaulted("strategy.referrals.two_sided", boolean(), false, "",
                "Both referrer and referred get the reward: acceptance x "
                "two_sided_multiplier.",
                referral_field<&R::two_sided>()),
      defaulted("strategy.referrals.two_sided_multiplier", number(Range{1, 100}, "a multiplier"),
                1.6, "x",
                "Acceptance multiplier of a two-sided reward (capped at probability 1); 1.6 "
                "reads Dropbox's permanent +60% signups [DH] as an acceptance lift (an "
                "assumption).",
                referral_field<&R::two_sided_multiplier>()),
      defaulted("strategy.referrals.reward_usd", number(Range{0}, "an amount in USD"), 0.0,
                "USD/referral",
                "Cost of the rewards of one accepted referral, both sides together; counted in "
                "spend_referral_usd (accepted referrals x agent_scale x reward: real money).",
                referral_field<&R::reward_usd>()),
  };
}

}  // namespace flywheel::loader
