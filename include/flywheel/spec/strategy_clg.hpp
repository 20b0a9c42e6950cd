// Community-led growth levers (strategy.clg): the community, its programs and their budgets.
// Included by strategy.hpp. Rates are probabilities per month unless a name says otherwise.
#pragma once

#include <flywheel/spec/schedule.hpp>

#include <cstdint>

namespace flywheel {

// Engagement levels of a member (0 = not a member), the ladder of the Orbit model / CMX.
enum class Engagement : std::uint8_t { none = 0, exploring, participating, contributing, leading };
inline constexpr int kEngagementLevels = 5;

// Why people come to the community (CMX SPACES model: support, product, acquisition ...;
// here the three motives of issue #3). Shares of the community's draw, normalised to sum 1.
struct ClgMotives {
  double product = 1.0;   // users of the product: join to use it better
  double practice = 0.0;  // practitioners of the craft: draw non-users too
  double play = 0.0;      // people who come for fun and belonging: draw non-users too
  bool operator==(const ClgMotives&) const = default;
};

// A member's motive, drawn when it joins (users from the three weights, non-users drawn in by
// the community from practice and play): it decides which of the effects below apply to it.
enum class Motive : std::uint8_t { product = 0, practice, play };
inline constexpr int kMotives = 3;

// What each motive does (multipliers of hazards or rates, 1 = no effect).
struct ClgProductEffects {
  double activation_multiplier = 1.0;  // activation hazard of a product member (evaluator)
  double churn_multiplier = 1.0;       // churn hazards of a product member (evaluator to champion)
  bool operator==(const ClgProductEffects&) const = default;
};
struct ClgPracticeEffects {
  double promotion_multiplier = 1.0;     // participating -> contributing hazard
  double contribution_multiplier = 1.0;  // answers and pieces per contributor of this motive
  bool operator==(const ClgPracticeEffects&) const = default;
};
struct ClgPlayEffects {
  double engagement_multiplier = 1.0;     // exploring -> participating hazard
  double word_of_mouth_multiplier = 1.0;  // weight as a word-of-mouth source
  double conversion_multiplier = 1.0;     // self-serve conversion of an account with a play user
  bool operator==(const ClgPlayEffects&) const = default;
};
struct ClgMotiveEffects {
  ClgProductEffects product;
  ClgPracticeEffects practice;
  ClgPlayEffects play;
  bool operator==(const ClgMotiveEffects&) const = default;
};

// Contributors answer beginners' questions (evaluators and beginners who are members).
struct ClgSupport {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double answers_per_contributor_per_month = 4.0;  // contributing and leading members
  double answers_per_team_member_per_month = 0.0;  // the community team answers too
  double activation_multiplier = 1.5;              // on the activation hazard of the answered
  double early_churn_multiplier = 0.7;             // on evaluator and beginner churn hazards
  bool operator==(const ClgSupport&) const = default;
};

// Contributors write pieces, and the company's team may publish a planned cadence of its own;
// each piece reaches new people (the community awareness channel).
struct ClgContent {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double pieces_per_contributor_per_month = 0.5;
  double people_reached_per_piece = 200.0;  // unaware people made aware, in the publishing step
  // The company's planned cadence: real pieces a month (a company-level number, never scaled
  // by agent_scale), their reach and their cost (counted in community spend).
  Schedule planned_pieces_per_month = Schedule::constant(0.0);
  double people_reached_per_planned_piece = 200.0;  // real unaware people made aware per piece
  double usd_per_planned_piece = 500.0;
  bool operator==(const ClgContent&) const = default;
};

// Events (meetups, conferences): join multiplier 1 + max_join_lift x B / (B + half_usd).
struct ClgEvents {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double max_join_lift = 0.5;
  double half_lift_budget_usd_per_month = 5000.0;
  bool operator==(const ClgEvents&) const = default;
};

// Champion program: members who are champions advocate more and refer more.
struct ClgChampions {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double advocacy_multiplier = 1.5;  // member regulars -> champions hazard
  double referral_multiplier = 2.0;  // word of mouth weight of a champion member (1 = none)
  bool operator==(const ClgChampions&) const = default;
};

// Co-creation: feedback from contributing and leading members raises a product-quality index
//   target = 1 - exp(-feedback_members / feedback_scale_members), quality' = quality +
//   (target - quality) x dt / lag_months; activation x (1 + activation_lift x quality),
//   churn x (1 - churn_reduction x quality) for everyone.
struct ClgCoCreation {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double feedback_scale_members = 500.0;  // real people
  double lag_months = 6.0;
  double activation_lift = 0.2;
  double churn_reduction = 0.15;
  bool operator==(const ClgCoCreation&) const = default;
};

// Trust: accounts with an active user who came through the community convert better.
struct ClgTrust {
  bool enabled = false;
  Schedule budget_usd_per_month = Schedule::constant(0.0);
  double conversion_multiplier = 1.3;
  bool operator==(const ClgTrust&) const = default;
};

struct ClgSpec {
  bool enabled = false;
  ClgMotives motives;
  Schedule join_per_month = Schedule::constant(0.05);         // active users and evaluators
  Schedule nonuser_draw_per_month = Schedule::constant(0.0);  // unaware, x (practice + play)
  double gravity = 0.5;                 // join x (1 + gravity x ln(1 + active / scale))
  double gravity_scale_members = 1000;  // real people
  // members' leave hazard / (1 + gravity_retention x ln(1 + active / scale))
  double gravity_retention = 0.0;
  ClgMotiveEffects motive_effects;
  Schedule leave_per_month = Schedule::constant(0.05);
  // Promotion one level up from exploring, participating, contributing; demotion one down.
  double promote_exploring_per_month = 0.2;       // exploring -> participating
  double promote_participating_per_month = 0.05;  // participating -> contributing
  double promote_contributing_per_month = 0.05;   // contributing -> leading
  double demote_per_month = 0.05;
  double initial_members_share = 0.0;  // active users who are participating members at step 0
  Schedule member_churn_multiplier = Schedule::constant(1.0);  // active members (participating+)
  Schedule team_size = Schedule::constant(0.0);                // people
  double team_cost_usd_per_month = 10000.0;                    // fully loaded, per person
  double acquisition_share = 1.0;  // share of community spend counted in CAC (the rest retains)
  ClgSupport support;
  ClgContent content;
  ClgEvents events;
  ClgChampions champions;
  ClgCoCreation co_creation;
  ClgTrust trust;
  bool operator==(const ClgSpec&) const = default;
};

}  // namespace flywheel
