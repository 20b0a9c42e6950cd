// Phase 4, the community's programs, each optional and budgeted (strategy.clg):
//   support    capacity = contributors x answers/month + team x answers/month (contributors
//              weighted by their motive's contribution multiplier); an asker (member
//              among evaluators and beginners, not yet answered) is answered in a step with
//              probability min(1, capacity x dt / askers left unanswered by the previous
//              step); answered
//              people activate faster and churn less early (rule class kRuleSupported)
//   content    a contributor publishes a piece with probability pieces/month x dt per step;
//              the contributors' pieces per month make people_reached_per_piece people aware
//              each, at once (community channel; contributors at the step's middle); the
//              company's planned pieces (real, not scaled) add planned x reach / agent_scale
//              simulated people a month, spread over the unaware at the step's middle
//   events     join x (1 + max_join_lift x B / (B + half_lift_budget))   (saturating)
//   champions  member champions weigh referral_multiplier in word of mouth; member advocacy up
//   motives    play members weigh play.word_of_mouth_multiplier more in word of mouth, and an
//              account with a play user converts x play.conversion_multiplier
//   trust      accounts with a community user: self-serve conversion x conversion_multiplier
//   money      team x cost per person + budgets of the enabled programs + planned pieces x
//              cost per piece
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>

namespace flywheel::model {

// Probability that one asker is answered this step: capacity shared among the askers.
double answer_probability(double capacity_per_month, double step_months, std::int64_t askers);
double support_capacity_per_month(const ClgSpec& clg, const CommunityState& c, int month,
                                  int agent_scale);
double event_join_multiplier(const ClgSpec& clg, int month);
// Answers and pieces of one contributor of this motive, relative to the parameters' (practice
// members: motive_effects.practice.contribution_multiplier).
double contribution_multiplier(const ClgSpec& clg, Motive motive);
// Contributors weighted by their contribution multipliers (simulated people): what support
// capacity and content reach count.
double weighted_contributors(const ClgSpec& clg, const CommunityState& c);
// Hazard per unaware person of becoming aware through the community (content and the draw of
// practice and play communities), from the drivers at the step's middle (midpoint.hpp).
double community_awareness_per_month(const Model& model, const Drivers& mid, int month);
// The company's planned content pieces of a month (real pieces): 0 unless the community and
// its content program are enabled.
double planned_content_pieces(const ClgSpec& clg, int month);
// Extra word-of-mouth sources: member champions x (referral_multiplier - 1).
double champion_extra_sources(const ClgSpec& clg, const CommunityState& c);
// Extra word-of-mouth sources of play members (well mixed): each weighs
// play.word_of_mouth_multiplier times its weight without it, (w - 1) x (play members in source
// stages + play member champions x (referral_multiplier - 1) with the champion program).
double play_extra_sources(const ClgSpec& clg, const CommunityState& c);
double trust_conversion_multiplier(const ClgSpec& clg);
// Self-serve conversion multiplier of an account with a play member among its active users.
double play_conversion_multiplier(const ClgSpec& clg);
std::int64_t community_spend_cents(const ClgSpec& clg, int month);

}  // namespace flywheel::model
