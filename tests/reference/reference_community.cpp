// Reference phase 4, membership and engagement (docs/model.md, "One step", 4): every person in
// order, member or not. Thresholds come from the engine's community_rules (no fast path); who
// acts is decided here from the rule itself, drawing every word a decision could read.
#include "reference_step.hpp"

namespace flywheel::reference {

using model::CommunityRules;
using model::CommunityTally;
using model::People;

namespace {

// A non-member joins when the community's channel made them aware (never a member before,
// still aware of the product) or, as an evaluator or active user, by the join hazard.
void maybe_join(const model::Model& model, const CommunityRules& rules, People& people,
                std::uint32_t p, int step, CommunityTally& t) {
  const Stage s = people.stage[p];
  const bool around = s != Stage::unaware && s != Stage::churned;
  const bool drawn =
      people.channel[p] == Channel::community && !(people.flags[p] & model::kEverMember) && around;
  const bool may_join = s == Stage::evaluator || is_active(s);
  const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community);
  if (!drawn && !(may_join && w[0] < rules.join)) return;
  people.community[p] = static_cast<std::uint8_t>(Engagement::exploring);
  people.flags[p] |= model::kEverMember;
  ++t.community_joins;
  ++t.members_by_level[1];
  if (rules.support && (s == Stage::evaluator || s == Stage::beginner)) ++t.askers;
}

// A member's programs: support answers an asker, a contributor may publish a piece.
void programs(const model::Model& model, const CommunityRules& rules, People& people,
              std::uint32_t p, int step, int level, CommunityTally& t) {
  const Stage s = people.stage[p];
  const auto w =
      model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community_program);
  const bool asks = rules.support && (s == Stage::evaluator || s == Stage::beginner) &&
                    !(people.flags[p] & model::kSupported);
  if (asks && w[0] < rules.answer) {
    people.flags[p] |= model::kSupported;
    ++t.support_answers;
  } else if (asks) {
    ++t.askers;  // still waiting: shares the next step's capacity
  }
  if (level >= static_cast<int>(Engagement::contributing) && w[1] < rules.piece) {
    ++t.pieces_step;
    ++t.content_pieces;
  }
}

// A member's level after the step: 0 when leaving (also on churning or forgetting the
// product), else one competing-risk draw between leaving, one level up and one down.
int next_level(const model::Model& model, const CommunityRules& rules, People& people,
               std::uint32_t p, int step, CommunityTally& t) {
  const Stage s = people.stage[p];
  const int level = people.community[p];
  if (s == Stage::unaware || s == Stage::churned) {
    ++t.community_leaves;
    return 0;
  }
  programs(model, rules, people, p, step, level, t);
  const model::LevelRule& r = rules.level[level];
  const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community);
  if (w[0] >= r.any) return level;
  if (w[1] < r.leave_upto) {
    ++t.community_leaves;
    return 0;
  }
  return w[1] < r.up_upto ? level + 1 : level - 1;
}

void step_member(const model::Model& model, const CommunityRules& rules, People& people,
                 std::uint32_t p, int step, CommunityTally& t) {
  const int level = next_level(model, rules, people, p, step, t);
  const bool active = level >= static_cast<int>(Engagement::participating);
  people.community[p] = static_cast<std::uint8_t>(level);
  if (active) {
    people.flags[p] |= model::kActiveMember;
  } else {
    people.flags[p] &= static_cast<std::uint8_t>(~model::kActiveMember);
  }
  if (level == 0) return;
  ++t.members_by_level[level];
  const Stage s = people.stage[p];
  if (active && s == Stage::champion) ++t.champion_members;
  if (is_active(s)) {
    ++t.member_users;
    t.active_member_users += active ? 1 : 0;
  }
}

}  // namespace

void advance_community(const model::Model& model, model::ReplicateState& state, int step, int month,
                       std::vector<CommunityTally>& blocks) {
  if (!model.scenario.strategy.clg.enabled) return;
  const CommunityRules rules = model::community_rules(model, state, month);
  for (CommunityTally& t : blocks) {
    t.members_by_level = {};
    t.askers = t.champion_members = t.pieces_step = t.member_users = t.active_member_users = 0;
  }
  CommunityTally& tally = blocks.front();  // sums: one block holds them all
  People& people = state.people;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    if (people.community[p] == 0) {
      maybe_join(model, rules, people, p, step, tally);
    } else {
      step_member(model, rules, people, p, step, tally);
    }
  }
}

}  // namespace flywheel::reference
