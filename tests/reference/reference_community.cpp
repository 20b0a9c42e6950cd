// Reference phase 4, membership and engagement (docs/model.md, "One step", 4): every person in
// order, member or not. Thresholds come from the engine's community_rules (no fast path); who
// acts is decided here from the rule itself, drawing every word a decision could read.
#include "reference_step.hpp"

#include <cmath>

namespace flywheel::reference {

using model::CommunityRules;
using model::CommunityTally;
using model::People;

namespace {

// A joiner's motive from word 2 of its join draw: a user by the three weights (product,
// practice, play, in that order), a non-user drawn in by practice and play alone (product when
// both weigh 0).
Motive draw_motive(const ClgMotives& m, bool drawn, std::uint32_t word) {
  if (drawn) {
    const double both = m.practice + m.play;
    if (!(both > 0.0)) return Motive::product;
    return word < probability_threshold(m.practice / both) ? Motive::practice : Motive::play;
  }
  const double all = m.product + m.practice + m.play;
  if (!(all > 0.0)) return Motive::product;
  if (word < probability_threshold(m.product / all)) return Motive::product;
  if (word < probability_threshold((m.product + m.practice) / all)) return Motive::practice;
  return Motive::play;
}

// A non-member joins when the community's channel made them aware (never a member before,
// still aware of the product: at the middle of the step, when the people phase made them
// aware) or, as an evaluator or active user, by the join hazard over the step (over its second
// half for someone who signed up in it), at the middle of that exposure. Returns when in the
// step the person joined, or -1.
double maybe_join(const model::Model& model, const CommunityRules& rules, People& people,
                  std::uint32_t p, int step, CommunityTally& t) {
  const double dt = model.time.step_months();
  const Stage s = people.stage[p];
  const bool around = s != Stage::unaware && s != Stage::churned;
  const bool drawn =
      people.channel[p] == Channel::community && !(people.flags[p] & model::kEverMember) && around;
  const bool may_join = s == Stage::evaluator || is_active(s);
  const bool signed_up_now = people.signup_step[p] == step;
  const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community);
  const bool by_hazard = may_join && w[0] < (signed_up_now ? rules.join_half : rules.join);
  if (!drawn && !by_hazard) return -1.0;
  const Motive motive = draw_motive(model.scenario.strategy.clg.motives, drawn, w[2]);
  people.community[p] = model::member_byte::pack(1, motive);
  people.flags[p] |= model::kEverMember;
  ++t.community_joins;
  return !drawn && signed_up_now ? dt * 0.75 : dt / 2;
}

// From `level`, `at` months into the step: leaving, one level up or one down, drawn over the
// rest of the step (Decision::community index `index`); a move falls at the middle of that
// exposure and is followed by a draw over what is left, up to `draws` draws. Returns the level
// after the step, 0 when leaving.
int ladder(const model::Model& model, const CommunityRules& rules, std::uint32_t p, int step,
           Motive motive, int level, double at, std::uint32_t index, int draws, CommunityTally& t) {
  const double dt = model.time.step_months();
  for (int k = 0; k < draws && at < dt; ++k) {
    const model::LevelRule& r = rules.level[static_cast<int>(motive)][level];
    const double exposure = dt - at;
    const std::uint64_t any = exposure == dt ? r.any
                              : r.per_month > 0.0
                                  ? probability_threshold(-std::expm1(-r.per_month * exposure))
                                  : 0;
    const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community,
                                       index + static_cast<std::uint32_t>(k));
    if (w[0] >= any) return level;
    if (w[1] < r.leave_upto) {
      ++t.community_leaves;
      return 0;
    }
    level += w[1] < r.up_upto ? 1 : -1;
    at += exposure / 2;
  }
  return level;
}

// A member's programs: support answers an asker, a contributor may publish a piece.
void programs(const model::Model& model, const CommunityRules& rules, People& people,
              std::uint32_t p, int step, int level, Motive motive, CommunityTally& t) {
  const Stage s = people.stage[p];
  const auto w =
      model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community_program);
  const bool asks = rules.support && (s == Stage::evaluator || s == Stage::beginner) &&
                    !(people.flags[p] & model::kSupported);
  if (asks && w[0] < rules.answer) {
    people.flags[p] |= model::kSupported | model::kJustSupported;
    ++t.support_answers;
    ++t.answers_step;
  } else if (asks) {
    ++t.askers;  // still waiting: shares the next step's capacity
  }
  if (level >= static_cast<int>(Engagement::contributing) &&
      w[1] < rules.piece[static_cast<int>(motive)]) {
    ++t.pieces_step;
    ++t.content_pieces_contributed;
  }
}

// A member's level after the step: 0 when leaving (also on churning or forgetting the
// product), else one competing-risk draw between leaving, one level up and one down.
int next_level(const model::Model& model, const CommunityRules& rules, People& people,
               std::uint32_t p, int step, CommunityTally& t) {
  const Stage s = people.stage[p];
  const int level = model::member_byte::level(people.community[p]);
  const Motive motive = model::member_byte::motive(people.community[p]);
  if (s == Stage::unaware || s == Stage::churned) {
    ++t.community_leaves;
    return 0;
  }
  programs(model, rules, people, p, step, level, motive, t);
  return ladder(model, rules, p, step, motive, level, 0.0, 0, 1 + model::kLadderArrivals, t);
}

// A member's (or a new member's) level after the step, and the counts of it.
void settle(const model::Model& model, People& people, std::uint32_t p, int level,
            CommunityTally& t) {
  const bool active = level >= static_cast<int>(Engagement::participating);
  const Motive motive = model::member_byte::motive(people.community[p]);
  people.community[p] = model::member_byte::pack(level, motive);
  if (active) {
    people.flags[p] |= model::kActiveMember;
  } else {
    people.flags[p] &= static_cast<std::uint8_t>(~model::kActiveMember);
  }
  if (level == 0) return;
  ++t.members_by_level[level];
  ++t.members_by_motive[static_cast<int>(motive)];
  if (level >= static_cast<int>(Engagement::contributing)) {
    ++t.contributors_by_motive[static_cast<int>(motive)];
  }
  const Stage s = people.stage[p];
  const bool play = motive == Motive::play;
  if (play && model.scenario.acquisition.word_of_mouth_sources[static_cast<int>(s)]) {
    ++t.play_sources;
  }
  if (active && s == Stage::champion) {
    ++t.champion_members;
    if (play) ++t.play_champion_members;
  }
  if (active && s == Stage::beginner) ++t.beginner_members;
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
    t.members_by_motive = t.contributors_by_motive = {};
    t.play_sources = t.play_champion_members = 0;
    t.askers = t.champion_members = t.pieces_step = t.member_users = t.active_member_users = 0;
    t.beginner_members = 0;
    t.answers_step = 0;
    t.new_askers.clear();
  }
  CommunityTally& tally = blocks.front();  // sums: one block holds them all
  People& people = state.people;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    // The people phase has used the catch-up of last step's answer.
    people.flags[p] &= static_cast<std::uint8_t>(~model::kJustSupported);
    if (people.community[p] != 0) {
      settle(model, people, p, next_level(model, rules, people, p, step, tally), tally);
      continue;
    }
    const double at = maybe_join(model, rules, people, p, step, tally);
    if (at < 0.0) continue;
    // The rest of the step as an exploring member; a new member who asks (an evaluator or a
    // beginner) shares what the step's support capacity leaves, once everyone has had a step.
    const int level = ladder(model, rules, p, step, model::member_byte::motive(people.community[p]),
                             1, at, 1, model::kLadderArrivals, tally);
    const Stage s = people.stage[p];
    if (level > 0 && rules.support && (s == Stage::evaluator || s == Stage::beginner)) {
      tally.new_askers.push_back(p);
    }
    settle(model, people, p, level, tally);
  }
  model::answer_new_askers(model, rules, state, step, blocks);
}

}  // namespace flywheel::reference
