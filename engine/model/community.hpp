// Phase 4: the community. Joining (gravity and events), leaving, and the engagement ladder
// exploring -> participating -> contributing -> leading, in one cheap pass over people that
// also runs the per-person programs (community_programs.hpp). Rules read the previous step's
// community stocks (synchronous update); draws use Decision::community (membership) and
// Decision::community_program (programs), agent = person.
//   join hazard of evaluators and active users = join_per_month x gravity x events lift
//   gravity = 1 + gravity x ln(1 + active members / gravity_scale_members)
//   people made aware by the community join as exploring members
//   members compete between leaving, one level up and one level down; members who churn or
//   forget leave; kActiveMember = participating or above.
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
  std::int64_t askers = 0, champion_members = 0, pieces_step = 0;
  std::int64_t member_users = 0, active_member_users = 0;  // members among active users
  // the month's flows, one per line of counters_community.inc (summed into MonthRecord)
#define FLYWHEEL_COUNTER(name) std::int64_t name = 0;
#include <flywheel/spec/counters_community.inc>
#undef FLYWHEEL_COUNTER
};

// A member's competing exits in one step: leave, up, down (cumulative 32-bit cut points).
struct LevelRule {
  std::uint64_t any = 0;                      // an exit happens when word 0 < any
  std::uint64_t leave_upto = 0, up_upto = 0;  // word 1: leave below leave_upto, up below up_upto
};

struct CommunityRules {
  std::uint64_t join = 0;  // per step, evaluators and active users
  std::array<LevelRule, kEngagementLevels> level{};
  bool support = false;      // support runs: members among beginners ask
  std::uint64_t answer = 0;  // support: an asker is answered this step
  std::uint64_t piece = 0;   // content: a contributor publishes a piece this step
};

// Join multiplier from gravity: 1 + gravity x ln(1 + active_members_real / scale).
double gravity_multiplier(const ClgSpec& clg, double active_members_real);

// This step's rules: from the community stocks of the latest step end, with gravity at the
// step's middle (midpoint.hpp).
CommunityRules community_rules(const Model& model, const ReplicateState& state, int month);

// Members who start the run: initial_members_share of the active users, participating.
void place_initial_members(const Model& model, ReplicateState& state);

void advance_community(const Model& model, ReplicateState& state, int step, int month,
                       std::vector<CommunityTally>& blocks);

}  // namespace flywheel::model
