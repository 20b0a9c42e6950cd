// Phase 4: the community. Joining (gravity and events), leaving, and the engagement ladder
// exploring -> participating -> contributing -> leading, in one cheap pass over people that
// also runs the per-person programs (community_programs.hpp). Rules read the previous step's
// community stocks (synchronous update); draws use Decision::community (membership) and
// Decision::community_program (programs), agent = person.
//   join hazard of evaluators and active users = join_per_month x gravity x events lift
//   gravity = 1 + gravity x ln(1 + active members / gravity_scale_members)
//   leave hazard = leave_per_month / (1 + gravity_retention x ln(1 + active members / scale))
//   a joiner draws its motive (member_byte): users from the motive weights, people drawn in by
//   the community from practice and play; the ladder and contribution depend on it.
//   people made aware by the community join as exploring members
//   members compete between leaving, one level up and one level down; members who churn or
//   forget leave; kActiveMember = participating or above.
//   A join or a move falls at the middle of the exposure it was drawn over; the member then
//   has the rest of the step at its new level (a draw over it, docs/model.md#time).
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace flywheel::model {

// Counts of one block of people: stocks of this step, flows over the month.
struct CommunityTally {
  std::array<std::int64_t, kEngagementLevels> members_by_level{};
  std::array<std::int64_t, kMotives> members_by_motive{};
  std::array<std::int64_t, kMotives> contributors_by_motive{};
  std::int64_t play_sources = 0, play_champion_members = 0;  // CommunityState
  std::int64_t askers = 0, champion_members = 0, beginner_members = 0, pieces_step = 0;
  std::int64_t member_users = 0, active_member_users = 0;  // members among active users
  // this step: answers to members who were waiting, and members who started asking
  std::int64_t answers_step = 0;
  std::vector<std::uint32_t> new_askers;
  // the month's flows, one per line of counters_community.inc (summed into MonthRecord)
#define FLYWHEEL_COUNTER(name) std::int64_t name = 0;
#include <flywheel/spec/counters_community.inc>
#undef FLYWHEEL_COUNTER
};

// A member's competing exits in one step: leave, up, down (cumulative 32-bit cut points).
struct LevelRule {
  std::uint64_t any = 0;                      // an exit happens when word 0 < any
  std::uint64_t leave_upto = 0, up_upto = 0;  // word 1: leave below leave_upto, up below up_upto
  double per_month = 0.0;                     // the exits' total hazard (any over a whole step)
};

// A member who joined or moved a level during the step did so, on average, at the middle of
// the exposure drawn over, and has the rest of the step at the new level: one more draw there
// over what is left, up to kLadderArrivals such draws; draw k of a person's step reads the
// words of Decision::community index k.
inline constexpr int kLadderArrivals = 3;

// Whether word 0 leaves level rule r over `months` (a whole step: r.any).
std::uint64_t level_any(const LevelRule& r, double months, double step_months);

struct CommunityRules {
  std::uint64_t join = 0;       // per step, evaluators and active users
  std::uint64_t join_half = 0;  // the same for people who signed up this step (mid-step)
  // A joiner's motive from word 2 of its join draw (Decision::community index 0): a user is a
  // product member below user_product, practice below user_practice, else play; a non-user
  // drawn in is practice below nonuser_practice, else play (product when practice and play
  // both weigh 0: only content reach draws them in then).
  std::uint64_t user_product = 0, user_practice = 0, nonuser_practice = 0;
  bool nonuser_product = false;
  std::array<std::array<LevelRule, kEngagementLevels>, kMotives> level{};  // [motive][level]
  std::array<bool, kStageCount> source{};  // word-of-mouth source stages (play_sources)
  bool support = false;             // support runs: members among beginners ask
  std::uint64_t answer = 0;         // support: an asker is answered this step
  double capacity_per_month = 0.0;  // support: answers a month (simulated people)
  std::array<std::uint64_t, kMotives> piece{};  // content: a contributor publishes this step
};

// Join multiplier from gravity: 1 + gravity x ln(1 + active_members_real / scale).
double gravity_multiplier(const ClgSpec& clg, double active_members_real);
// Divisor of the members' leave hazard: 1 + gravity_retention x ln(1 + active_members_real /
// scale).
double gravity_retention_divisor(const ClgSpec& clg, double active_members_real);

// A joiner's motive from word 2 of its join draw (CommunityRules).
Motive joining_motive(const CommunityRules& rules, bool drawn_in, std::uint32_t word);

// This step's rules: from the community stocks of the latest step end, with gravity at the
// step's middle (midpoint.hpp).
CommunityRules community_rules(const Model& model, const ReplicateState& state, int month);

// Members who start the run: initial_members_share of the active users, participating.
void place_initial_members(const Model& model, ReplicateState& state);

void advance_community(const Model& model, ReplicateState& state, int step, int month,
                       std::vector<CommunityTally>& blocks);

// Support for the members who started asking during the step (the blocks' new_askers, in block
// order): they share what the step's capacity left unanswered, each answered with probability
// min(1, (capacity x dt - this step's answers) / new askers) (Decision::community_program word
// 0); the others wait for the next step's capacity.
void answer_new_askers(const Model& model, const CommunityRules& rules, ReplicateState& state,
                       int step, std::vector<CommunityTally>& blocks);

}  // namespace flywheel::model
