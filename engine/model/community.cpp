#include "community.hpp"

#include "community_acts.hpp"
#include "community_programs.hpp"

#include "kernels/byte_scan.hpp"
#include "kernels/parallel_blocks.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flywheel::model {

double gravity_multiplier(const ClgSpec& clg, double active_members_real) {
  return 1.0 +
         clg.gravity * std::log1p(std::max(0.0, active_members_real) / clg.gravity_scale_members);
}

double gravity_retention_divisor(const ClgSpec& clg, double active_members_real) {
  return 1.0 + clg.gravity_retention *
                   std::log1p(std::max(0.0, active_members_real) / clg.gravity_scale_members);
}

Motive joining_motive(const CommunityRules& rules, bool drawn_in, std::uint32_t word) {
  if (drawn_in) {
    if (rules.nonuser_product) return Motive::product;
    return word < rules.nonuser_practice ? Motive::practice : Motive::play;
  }
  return word < rules.user_product    ? Motive::product
         : word < rules.user_practice ? Motive::practice
                                      : Motive::play;
}

namespace {

double hazard(double p_per_month) {
  return rate_from_monthly_probability(std::min(p_per_month, 1.0 - 1e-12));
}

// Competing hazards (per month) of a member at one level: leave, up, down.
LevelRule level_rule(double leave, double up, double down, double dt) {
  LevelRule r;
  const double total = leave + up + down;
  if (!(total > 0.0)) return r;
  r.any = probability_threshold(-std::expm1(-total * dt));
  r.leave_upto = probability_threshold(leave / total);
  r.up_upto = probability_threshold((leave + up) / total);
  r.per_month = total;
  return r;
}

}  // namespace

std::uint64_t level_any(const LevelRule& r, double months, double step_months) {
  if (months == step_months) return r.any;
  return r.per_month > 0.0 ? probability_threshold(-std::expm1(-r.per_month * months)) : 0;
}

CommunityRules community_rules(const Model& model, const ReplicateState& state, int month) {
  const ClgSpec& clg = model.scenario.strategy.clg;
  const CommunityState& c = state.community;
  const double dt = model.time.step_months();
  const double k = model.scenario.simulation.agent_scale;
  CommunityRules rules;
  const double active_real = state.drivers.mid.active_members * k;
  const double join = hazard(clg.join_per_month.at(month)) * gravity_multiplier(clg, active_real) *
                      event_join_multiplier(clg, month);
  rules.join = probability_threshold(-std::expm1(-join * dt));
  rules.join_half = probability_threshold(-std::expm1(-join * dt / 2));
  const ClgMotives& m = clg.motives;
  const double weights = m.product + m.practice + m.play;
  rules.user_product = weights > 0.0 ? probability_threshold(m.product / weights) : 1ull << 32;
  rules.user_practice =
      weights > 0.0 ? probability_threshold((m.product + m.practice) / weights) : 1ull << 32;
  rules.nonuser_product = !(m.practice + m.play > 0.0);
  rules.nonuser_practice =
      rules.nonuser_product ? 0 : probability_threshold(m.practice / (m.practice + m.play));
  // Gravity retains: the same active members at the step's middle as for joining.
  const double leave =
      hazard(clg.leave_per_month.at(month)) / gravity_retention_divisor(clg, active_real);
  const double down = hazard(clg.demote_per_month);
  const ClgMotiveEffects& fx = clg.motive_effects;
  for (int motive = 0; motive < kMotives; ++motive) {
    std::array<double, kEngagementLevels> up = {
        0.0, hazard(clg.promote_exploring_per_month), hazard(clg.promote_participating_per_month),
        hazard(clg.promote_contributing_per_month), 0.0};
    if (motive == static_cast<int>(Motive::play)) up[1] *= fx.play.engagement_multiplier;
    if (motive == static_cast<int>(Motive::practice)) up[2] *= fx.practice.promotion_multiplier;
    for (int level = 1; level < kEngagementLevels; ++level) {
      rules.level[motive][level] = level_rule(leave, up[level], level > 1 ? down : 0.0, dt);
    }
  }
  for (int st = 0; st < kStageCount; ++st) {
    rules.source[st] = model.scenario.acquisition.word_of_mouth_sources[st];
  }
  rules.support = clg.support.enabled;
  if (clg.support.enabled) {
    rules.capacity_per_month =
        support_capacity_per_month(clg, c, month, model.scenario.simulation.agent_scale);
    rules.answer =
        probability_threshold(answer_probability(rules.capacity_per_month, dt, c.askers));
  }
  if (clg.content.enabled) {
    for (int motive = 0; motive < kMotives; ++motive) {
      rules.piece[motive] = probability_threshold(
          clg.content.pieces_per_contributor_per_month * dt *
          contribution_multiplier(clg, static_cast<Motive>(motive)));
    }
  }
  return rules;
}

void place_initial_members(const Model& model, ReplicateState& state) {
  const ClgSpec& clg = model.scenario.strategy.clg;
  if (!clg.enabled || !(clg.initial_members_share > 0.0)) return;
  const std::uint64_t threshold = probability_threshold(clg.initial_members_share);
  const CommunityRules rules = community_rules(model, state, 0);  // the motive cut points
  People& people = state.people;
  CommunityState& c = state.community;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    if (!is_active(people.stage[p])) continue;
    const auto w = model.streams.words(p, kSetupStep, Decision::community);
    if (w[0] >= threshold) continue;
    const Motive motive = joining_motive(rules, false, w[1]);  // users, from the weights
    people.community[p] = member_byte::pack(static_cast<int>(Engagement::participating), motive);
    people.flags[p] |= kActiveMember | kEverMember;
    ++c.members_by_level[static_cast<int>(Engagement::participating)];
    ++c.members_by_motive[static_cast<int>(motive)];
    ++c.member_users;
    ++c.active_member_users;
    const bool play = motive == Motive::play;
    if (people.stage[p] == Stage::champion) {
      ++c.champion_members;
      c.play_champion_members += play ? 1 : 0;
    }
    c.play_sources += play && rules.source[static_cast<int>(people.stage[p])] ? 1 : 0;
    if (people.stage[p] == Stage::beginner) ++c.beginner_members;
  }
}

namespace {

std::uint8_t join_on(const CommunityRules& rules) {
  return rules.join != 0 ? 0xFF : 0;
}

// A non-member who acts (community_acts.hpp): joins when drawn in by the community's channel
// (made aware this step, at its middle), else by the join hazard (over the step, or over its
// second half for someone who signed up in it). Returns when in the step the person joined,
// months (the middle of the exposure), or -1.
double maybe_join(const Model& model, const CommunityRules& rules, People& people, std::uint32_t p,
                  int step, CommunityTally& t) {
  const double dt = model.time.step_months();
  const auto stage = static_cast<std::uint8_t>(people.stage[p]);
  const auto channel = static_cast<std::uint8_t>(people.channel[p]);
  double at = dt / 2;
  const bool drawn = drawn_in(stage, channel, people.flags[p]) != 0;
  if (!drawn) {
    if (!may_join(stage, join_on(rules))) return -1.0;
    const std::uint32_t w =
        model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community)[0];
    if (w >= rules.join) return -1.0;  // no join either way (join_half <= join)
    // Read only now: the signup steps of the many who do not join would be cache misses.
    const bool signed_up_now = people.signup_step[p] == step;
    if (signed_up_now && w >= rules.join_half) return -1.0;
    at = signed_up_now ? dt * 0.75 : dt / 2;
  }
  const std::uint32_t motive_word =
      model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community)[2];
  people.community[p] = member_byte::pack(static_cast<int>(Engagement::exploring),
                                          joining_motive(rules, drawn, motive_word));
  people.flags[p] |= kEverMember;
  ++t.community_joins;
  return at;
}

// Leaving or moving one level from `level`, `at` months into the step: a draw over the rest of
// the step (Decision::community index `index`), and after a move another over what is left, up
// to `draws` in all. Returns the level after the step (0: left).
int ladder(const Model& model, const CommunityRules& rules, std::uint32_t p, int step, Motive motive,
           int level, double at, std::uint32_t index, int draws, CommunityTally& t) {
  const double dt = model.time.step_months();
  const auto& levels = rules.level[static_cast<int>(motive)];
  for (int k = 0; k < draws && at < dt; ++k) {
    const LevelRule& r = levels[level];
    const double exposure = dt - at;
    const std::uint64_t any = level_any(r, exposure, dt);
    if (any == 0) break;
    const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community,
                                       index + static_cast<std::uint32_t>(k));
    if (w[0] >= any) break;
    if (w[1] < r.leave_upto) {
      ++t.community_leaves;
      return 0;
    }
    level += w[1] < r.up_upto ? 1 : -1;
    at += exposure / 2;
  }
  return level;
}

// A member: programs, then leaving or moving one level. Returns the level after the step.
int step_member(const Model& model, const CommunityRules& rules, People& people, std::uint32_t p,
                int step, CommunityTally& t) {
  const Stage s = people.stage[p];
  const int level = member_byte::level(people.community[p]);
  const Motive motive = member_byte::motive(people.community[p]);
  if (s == Stage::unaware || s == Stage::churned) {
    ++t.community_leaves;
    return 0;  // churned or forgot the product: leaves the community
  }
  const std::uint64_t piece = rules.piece[static_cast<int>(motive)];
  if (rules.support || piece != 0) {
    const auto w =
        model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community_program);
    if (rules.support && (s == Stage::evaluator || s == Stage::beginner) &&
        !(people.flags[p] & kSupported)) {  // an asker only while support runs
      if (w[0] < rules.answer) {
        people.flags[p] |= kSupported | kJustSupported;
        ++t.support_answers;
        ++t.answers_step;
      } else {
        ++t.askers;  // still waiting: shares the next step's capacity
      }
    }
    if (level >= static_cast<int>(Engagement::contributing) && w[1] < piece) {
      ++t.pieces_step;
      ++t.content_pieces_contributed;
    }
  }
  return ladder(model, rules, p, step, motive, level, 0.0, 0, 1 + kLadderArrivals, t);
}

// Whether person p has anything to do this step (community_acts.hpp).
bool has_community_step(const CommunityRules& rules, const People& people, std::uint32_t p) {
  return acts(static_cast<std::uint8_t>(people.stage[p]),
              static_cast<std::uint8_t>(people.channel[p]), people.flags[p], people.community[p],
              join_on(rules)) != 0;
}

void step_person(const Model& model, const CommunityRules& rules, People& people, std::uint32_t p,
                 int step, CommunityTally& t) {
  people.flags[p] &= static_cast<std::uint8_t>(~kJustSupported);  // the people phase used it
  int level = 0;
  if (people.community[p] == 0) {
    const double at = maybe_join(model, rules, people, p, step, t);
    if (at < 0.0) return;
    // The rest of the step as an exploring member (index 0 decided the join).
    level = ladder(model, rules, p, step, member_byte::motive(people.community[p]), 1, at, 1,
                   kLadderArrivals, t);
    const Stage s = people.stage[p];
    // A new member's questions share what this step's support capacity leaves (after the pass).
    if (level > 0 && rules.support && (s == Stage::evaluator || s == Stage::beginner)) {
      t.new_askers.push_back(p);
    }
  } else {
    level = step_member(model, rules, people, p, step, t);
  }
  const Motive motive = member_byte::motive(people.community[p]);
  people.community[p] = member_byte::pack(level, motive);
  const bool active = level >= static_cast<int>(Engagement::participating);
  people.flags[p] = static_cast<std::uint8_t>(active ? (people.flags[p] | kActiveMember)
                                                     : (people.flags[p] & ~kActiveMember));
  if (level == 0) return;
  ++t.members_by_level[level];
  ++t.members_by_motive[static_cast<int>(motive)];
  if (level >= static_cast<int>(Engagement::contributing)) {
    ++t.contributors_by_motive[static_cast<int>(motive)];
  }
  const bool play = motive == Motive::play;
  if (play && rules.source[static_cast<int>(people.stage[p])]) ++t.play_sources;
  if (active && people.stage[p] == Stage::champion) {
    ++t.champion_members;
    t.play_champion_members += play ? 1 : 0;
  }
  if (active && people.stage[p] == Stage::beginner) ++t.beginner_members;
  if (is_active(people.stage[p])) {
    ++t.member_users;
    t.active_member_users += active ? 1 : 0;
  }
}

// has_community_step for the 64 people from `first` on, sixteen at a time: most people are
// neither members nor able to join, and branches on their mixed stages mispredict.
std::uint64_t community_steps64(const CommunityRules& rules, const People& people,
                                std::uint32_t first) {
  const Bytes16 join = splat(join_on(rules));
  return run_mask([&](std::uint32_t o) {
    return acts(load16(people.stage.data() + first + o), load16(people.channel.data() + first + o),
                load16(people.flags.data() + first + o),
                load16(people.community.data() + first + o), join);
  });
}

// In runs of 64: a mask of who has a step first, then those people alone.
void community_block(const Model& model, const CommunityRules& rules, People& people, int step,
                     std::size_t begin, std::size_t end, CommunityTally& t) {
  for (auto first = static_cast<std::uint32_t>(begin); first < end; first += 64) {
    const auto n = static_cast<std::uint32_t>(std::min<std::size_t>(64, end - first));
    std::uint64_t todo = 0;
    if (n == 64) {
      todo = community_steps64(rules, people, first);
    } else {
      for (std::uint32_t i = 0; i < n; ++i) {
        todo |= std::uint64_t{has_community_step(rules, people, first + i)} << i;
      }
    }
    for (; todo != 0; todo &= todo - 1) {
      step_person(model, rules, people, first + static_cast<std::uint32_t>(std::countr_zero(todo)),
                  step, t);
    }
  }
}

}  // namespace

void advance_community(const Model& model, ReplicateState& state, int step, int month,
                       std::vector<CommunityTally>& blocks) {
  if (!model.scenario.strategy.clg.enabled) return;
  const CommunityRules rules = community_rules(model, state, month);
  for_each_block(state.people.size(), kPeopleBlock,
                 [&](std::size_t b, std::size_t begin, std::size_t end) {
                   CommunityTally& t = blocks[b];
                   t.members_by_level = {};
                   t.members_by_motive = t.contributors_by_motive = {};
                   t.play_sources = t.play_champion_members = 0;
                   t.askers = t.champion_members = t.beginner_members = 0;
                   t.pieces_step = t.answers_step = 0;
                   t.new_askers.clear();
                   t.member_users = t.active_member_users = 0;
                   community_block(model, rules, state.people, step, begin, end, t);
                 });
  answer_new_askers(model, rules, state, step, blocks);
}

void answer_new_askers(const Model& model, const CommunityRules& rules, ReplicateState& state,
                       int step, std::vector<CommunityTally>& blocks) {
  if (!rules.support) return;
  std::int64_t asking = 0, answered = 0;
  for (const CommunityTally& t : blocks) {
    asking += static_cast<std::int64_t>(t.new_askers.size());
    answered += t.answers_step;
  }
  if (asking == 0) return;
  const double left = std::max(0.0, rules.capacity_per_month) * model.time.step_months() -
                      static_cast<double>(answered);
  const std::uint64_t threshold =
      probability_threshold(std::clamp(left / static_cast<double>(asking), 0.0, 1.0));
  for (CommunityTally& t : blocks) {
    for (const std::uint32_t p : t.new_askers) {
      const auto w =
          model.streams.words(p, static_cast<std::uint32_t>(step), Decision::community_program);
      if (w[0] < threshold) {
        state.people.flags[p] |= kSupported | kJustSupported;
        ++t.support_answers;
        ++t.answers_step;
      } else {
        ++t.askers;  // waits for the next step's capacity
      }
    }
  }
}

}  // namespace flywheel::model
