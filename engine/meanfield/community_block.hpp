// The community (strategy.clg) in the twin: one market-level block appended to the state
// (docs/mean_field.md "Community"). Members by stage group x engagement level x motive, the
// answered evaluators and beginners who are no longer members, and the co-creation quality q.
// Closure: membership is independent of the person's account given the stage, so the
// community acts on the people and account blocks through Couplings (global multipliers per
// stage, awareness, word-of-mouth weights and self-serve conversion).
//   community_couplings.cpp  the stocks' multipliers and what they feed into Couplings
//   community_flows.cpp      joining, the ladder, members following their stages, support,
//                            content, co-creation, and the month's stocks for the ledger
#pragma once

#include <flywheel/spec/metrics.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace flywheel::meanfield {

struct Twin;
struct Couplings;
struct Aggregates;
using State = std::vector<double>;

// A member's stage: evaluators and beginners apart by whether support answered them (their
// rules differ, and only the unanswered ask), regulars, champions, and people the community
// drew in before they signed up (aware).
enum MemberGroup : int {
  gEvaluator = 0,
  gEvaluatorAnswered,
  gBeginner,
  gBeginnerAnswered,
  gRegular,
  gChampion,
  gOutside,
  kMemberGroups
};
inline constexpr int kLevels = kEngagementLevels - 1;  // exploring .. leading (level 1 .. 4)
inline constexpr int kMemberCells = kMemberGroups * kLevels * kMotives;
// Then the answered evaluators and beginners who are not members, then q, then the people
// who were members before they signed up and left (aware, then unaware): the community's
// channel draws them in again but they do not join at once (never-members only).
inline constexpr int kAnsweredOutside = kMemberCells;
inline constexpr int kQuality = kMemberCells + 2;
inline constexpr int kFormerAware = kMemberCells + 3;
inline constexpr int kFormerUnaware = kMemberCells + 4;
inline constexpr int kCommunitySize = kMemberCells + 5;

inline constexpr int member_cell(int group, int level, int motive) {
  return (group * kLevels + (level - 1)) * kMotives + motive;
}

// This month's community rates (per month) from the levers in force.
struct CommunityRates {
  bool on = false;
  double join = 0.0;          // evaluators' and active users' join hazard before gravity
  double nonuser_draw = 0.0;  // x (practice + play) share, before gravity
  double leave = 0.0, demote = 0.0;
  std::array<std::array<double, kEngagementLevels>, kMotives> up{};  // [motive][level]
  std::array<double, kMotives> user_motive{}, nonuser_motive{};      // shares of joiners
  double member_churn = 1.0, member_advocacy = 1.0;
  double answered_activation = 1.0, answered_churn = 1.0;
  double product_activation = 1.0, product_churn = 1.0;
  bool support = false;
  double team_answers = 0.0, answers_per_contributor = 0.0;  // real answers a month
  double pieces_per_contributor = 0.0, reach_per_piece = 0.0, planned_reach = 0.0;
  double champion_weight = 0.0;  // referral_multiplier - 1 with the champion program
  double play_weight = 0.0;      // play word_of_mouth_multiplier - 1
  double trust = 1.0, play_conversion = 1.0;
  bool co_creation = false;
  double feedback_scale = 1.0, lag = 1.0, activation_lift = 0.0, churn_reduction = 0.0;
};

CommunityRates community_rates(const Twin& twin, int month);

// Members' per-stage multipliers and sums, read from the community block.
struct CommunityView {
  // Sum over each stage's people of (its multiplier - 1): people with the community's rules.
  double activation_extra = 0.0;                 // evaluators
  std::array<double, kStageCount> churn_extra{};  // evaluator .. champion
  double advocacy_extra = 0.0;                   // regulars
  double active_members = 0.0, contributors = 0.0, weighted_contributors = 0.0;
  double askers = 0.0;
  std::array<double, kStageCount> members{};  // members by stage (aware for the drawn in)
  double quality = 0.0;
};
CommunityView community_view(const Twin& twin, const State& y);

// A member's multipliers of its stage's activation and churn hazards, and of advocacy.
struct MemberRules {
  double activation = 1.0, churn = 1.0, advocacy = 1.0;
};
MemberRules member_rules(const CommunityRates& c, int group, int level, int motive);

Couplings community_couplings(const Twin& twin, const Aggregates& agg, const State& y);
void community_initial(const Twin& twin, State& y);
void community_flows(const Twin& twin, const Aggregates& agg, const Couplings& with,
                     const State& y, State& dy);
// The month's community stocks (month end; active member users at its start).
void community_record(const Twin& twin, const State& y, const State& start, MonthRecord& r);

// The activation window's dropouts at a conveyor shift (Twin::shift_window): a `fraction` of the
// evaluators dropped out, members among them alike (membership is independent of an
// evaluator's age); they leave the community.
void community_window_dropouts(const Twin& twin, State& y, double fraction);
// The same as a flow: evaluators dropping out at `rate` a month each (the smooth window), the
// members among them leaving the community, written to dy.
void community_window_leaving(const Twin& twin, const State& y, State& dy, double rate);

}  // namespace flywheel::meanfield
