// Phase 2, people (docs/model.md#one-step-the-phases): each person's competing-risk draw under this
// step's transition table (transition_table.cpp), in runs of 64 settled by masks first.
#include "flywheel.hpp"

#include "heard_rules.hpp"
#include "teammates.hpp"

#include "kernels/byte_scan.hpp"
#include "kernels/parallel_blocks.hpp"
#include "kernels/philox_batch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flywheel::model {

namespace {

// The share bin of person p's teammates who were active users at the latest accounts phase
// (p, an active user, counts among them).
int team_bin(const ReplicateState& state, std::uint32_t p) {
  const Accounts& acc = state.accounts;
  const std::uint32_t a = state.people.account[p];
  const std::uint32_t size = acc.first_person[a + 1] - acc.first_person[a];
  if (size < 2 || acc.active_users[a] < 2) return 0;
  const double share = static_cast<double>(acc.active_users[a] - 1) / (size - 1);
  return static_cast<int>(std::lround(std::min(share, 1.0) * (kTeamBins - 1)));
}

// Moves person p from `from` along exit `e` and counts the flow.
void apply_exit(People& people, std::uint32_t p, Stage from, const Exit& e, int step,
                PeopleTally& tally) {
  Stage to = e.to;
  switch (from) {
    case Stage::unaware:
      people.channel[p] = e.channel;
      ++tally.awareness[static_cast<int>(e.channel)];
      break;
    case Stage::aware:
      if (to == Stage::evaluator) {
        people.signup_step[p] = step;
        ++tally.signups[static_cast<int>(people.channel[p])];
        if (!people.referral_root.empty() && people.referral_root[p] == kNoReferral) {
          people.referral_root[p] = p;  // a seed: a signup not caused by a referral
        }
      }
      break;
    case Stage::evaluator:
      if (to == Stage::beginner) {
        people.flags[p] |= kEverActivated;
        ++tally.activations;
        const int waited = step - people.signup_step[p];  // 0: activated in the signup step
        const auto bin = static_cast<std::size_t>(std::min(waited, kTtvBins - 1));
        if (tally.ttv_steps.size() <= bin) tally.ttv_steps.resize(bin + 1, 0);
        ++tally.ttv_steps[bin];
      }
      break;
    case Stage::beginner:
      if (to == Stage::regular) ++tally.adoptions;
      break;
    case Stage::regular:
      if (to == Stage::champion) ++tally.advocacies;
      break;
    case Stage::champion:
      break;
    case Stage::churned:
      // People who never activated come back to evaluate again, the others as beginners.
      ++tally.reactivations;
      if (!(people.flags[p] & kEverActivated)) {
        to = Stage::evaluator;
        people.signup_step[p] = step;
      }
      break;
  }
  const bool member = people.flags[p] & kActiveMember;
  if (to == Stage::churned) {
    ++tally.churn[static_cast<int>(from)];
    tally.member_churns += member && is_active(from) ? 1 : 0;
    tally.member_beginner_churns += member && from == Stage::beginner ? 1 : 0;
    tally.member_champion_churns += member && from == Stage::champion ? 1 : 0;
  }
  // The exposure's end term: an active user entering or leaving the active stages, a person
  // entering or leaving the beginner and champion stages.
  const int entered = int{is_active(to)} - int{is_active(from)};
  const int beginner = int{to == Stage::beginner} - int{from == Stage::beginner};
  const int champion = int{to == Stage::champion} - int{from == Stage::champion};
  tally.user_halfsteps += entered;
  tally.beginner_halfsteps += beginner;
  tally.champion_halfsteps += champion;
  if (member) {
    tally.member_user_halfsteps += entered;
    tally.member_beginner_halfsteps += beginner;
    tally.member_champion_halfsteps += champion;
  }
  --tally.stage_change[static_cast<int>(from)];
  ++tally.stage_change[static_cast<int>(to)];
  people.stage[p] = to;
}

const Exit& pick_exit(const StageRule& rule, std::uint32_t word) {
  int i = 0;
  while (i + 1 < rule.exits && word >= rule.exit[i].upto) ++i;
  return rule.exit[i];
}

// Person p's transition words (p, step, transition): taken from a batch computed ahead for
// the person's run of agents, or drawn alone.
struct Draw {
  const std::uint32_t* w0 = nullptr;  // batch words of the run, indexed by p - first
  const std::uint32_t* w1 = nullptr;
  std::uint32_t first = 0;
};

// One competing-risk draw for person p under `rule`; returns whether p moved.
bool move(const Model& model, People& people, std::uint32_t p, Stage from, const StageRule& rule,
          int step, PeopleTally& tally, const Draw& draw) {
  if (rule.leave == 0) return false;
  std::uint32_t leave_word, exit_word;
  if (draw.w0 != nullptr) {
    leave_word = draw.w0[p - draw.first];
    exit_word = draw.w1[p - draw.first];
  } else {
    const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::transition);
    leave_word = w[0];
    exit_word = w[1];
  }
  if (leave_word >= rule.leave) return false;
  apply_exit(people, p, from, pick_exit(rule, exit_word), step, tally);
  return true;
}

// An evaluator whose activation window ends without an activation drops out.
void drop_out(People& people, std::uint32_t p, PeopleTally& tally) {
  people.stage[p] = Stage::churned;
  ++tally.evaluator_dropouts;
  --tally.stage_change[static_cast<int>(Stage::evaluator)];
  ++tally.stage_change[static_cast<int>(Stage::churned)];
}

[[gnu::always_inline]] inline int class_bits(const TransitionTable& table,
                                             const ReplicateState& state, std::uint32_t p,
                                             Stage at) {
  const People& people = state.people;
  return table.plan_bits[static_cast<int>(state.accounts.plan[people.account[p]])] |
         person_rule_bits(people.flags[p], people.community[p], at);
}

// The rule of person p in stage `at` (not unaware) from its class and team (inlined: the people
// pass looks it up for every person who may move).
[[gnu::always_inline]] inline const StageRule& class_rule(const TransitionTable& table,
                                                          const ReplicateState& state,
                                                          std::uint32_t p, Stage at) {
  const int bits = class_bits(table, state, p, at);
  if (table.team_on && is_active(at)) {
    const int bin = team_bin(state, p);
    if (bin > 0) return table.team[bin][bits][int(at) - int(Stage::beginner)];
  }
  return table.rules[bits][static_cast<int>(at)];
}

// The rule of person p in its stage over `months`: the step's rule, whose exits' shares do not
// depend on the exposure, and the leave threshold of that exposure. On a graph an unaware
// person's rule is built in `scratch`.
struct RuleOver {
  const StageRule* rule;
  std::uint64_t leave;
};
RuleOver rule_over(const TransitionTable& table, const ReplicateState& state, std::uint32_t p,
                   double months, StageRule& scratch, HeardRules* heard_rules) {
  const Stage at = state.people.stage[p];
  if (at == Stage::unaware && table.graph && heard_rules != nullptr &&
      months == table.dt_months / 2) {  // the usual rest of a step: the block's cached rules
    const StageRule* heard = heard_rules->at(state, p);
    const StageRule& rule = heard != nullptr ? *heard : table.rules[0][int(Stage::unaware)];
    return {&rule, rule.leave_half};
  }
  if (at == Stage::unaware && table.graph) {
    std::array<double, kChannelCount> rates = table.unaware_per_month;
    const std::uint64_t degree = state.network.offsets[p + 1] - state.network.offsets[p];
    rates[static_cast<int>(Channel::word_of_mouth)] = graph_word_of_mouth_per_month(
        table.imitation_q_per_month,
        heard_midpoint(state.word_of_mouth, p, degree, table.most_source_weight), degree);
    scratch = unaware_rule(rates, months);
    return {&scratch, scratch.leave};
  }
  const StageRule& rule = at == Stage::unaware ? table.rules[0][static_cast<int>(Stage::unaware)]
                                               : class_rule(table, state, p, at);
  if (months == table.dt_months / 2) return {&rule, rule.leave_half};  // the usual rest of a step
  if (!(months > 0.0)) return {&rule, 0};
  return {&rule, probability_threshold(-std::expm1(-rule.per_month * months))};
}

// arrive() with the block's cache of graph rules, when there is one.
void arrive_with(const Model& model, const TransitionTable& table, ReplicateState& state,
                 std::uint32_t p, int step, std::uint32_t index, StepPath& path, PeopleTally& tally,
                 HeardRules* heard_rules);

}  // namespace

void arrive(const Model& model, const TransitionTable& table, ReplicateState& state,
            std::uint32_t p, int step, std::uint32_t index, StepPath& path, PeopleTally& tally) {
  arrive_with(model, table, state, p, step, index, path, tally, nullptr);
}

namespace {

void arrive_with(const Model& model, const TransitionTable& table, ReplicateState& state,
                 std::uint32_t p, int step, std::uint32_t index, StepPath& path, PeopleTally& tally,
                 HeardRules* heard_rules) {
  People& people = state.people;
  const double dt = table.dt_months;
  StageRule scratch;  // an unaware person's rule on a graph
  for (std::uint32_t k = 0; k < kMaxArrivals && path.at < dt; ++k) {
    const Stage at = people.stage[p];
    if (table.inert[static_cast<int>(at)]) break;  // no rule leaves it: nothing to draw
    // A signup's window runs from the middle of its step: what the step holds of it, whenever
    // in the step the signup fell; if the window is shorter, it ends here.
    const bool evaluator = at == Stage::evaluator && model.window_months > 0.0;
    const bool window_ends = evaluator && model.window_months <= dt / 2;
    const double exposure = window_ends ? model.window_months : evaluator ? dt / 2 : dt - path.at;
    const RuleOver rule = rule_over(table, state, p, exposure, scratch, heard_rules);
    bool moved = false;
    if (rule.leave != 0) {
      const auto w =
          model.streams.words(p, static_cast<std::uint32_t>(step), Decision::transition, index + k);
      moved = w[2] < rule.leave;
      if (moved) apply_exit(people, p, at, pick_exit(*rule.rule, w[3]), step, tally);
    }
    if (!moved && !window_ends) break;
    const double next = std::min(dt, path.at + (moved ? exposure / 2 : exposure));
    path.invite_months += table.referrals.per_month(at) * (next - path.at);
    path.at = next;
    if (!moved) drop_out(people, p, tally);  // at the window's end: the rest as churned
  }
}

// The activation window's last step for evaluator p, or nullptr while the window runs: the
// exposure of that step and its rule (people who start the run as evaluators signed up at its
// start, the others at the middle of their signup step).
const StageRule* window_end(const Model& model, const TransitionTable& table,
                            const ReplicateState& state, std::uint32_t p, int step,
                            double& last_months, StageRule& initial_rule) {
  const std::int32_t signup = state.people.signup_step[p];
  const bool initial = signup < 0;
  const int full = initial ? model.initial_window_full_steps : model.window_full_steps;
  if (full < 0 || step - signup - 1 < full) return nullptr;
  if (!initial) {
    last_months = model.window_last_exposure_months;
    return &table.evaluator_last[class_bits(table, state, p, Stage::evaluator)];
  }
  last_months = model.initial_window_last_months;
  const RuleOver rule = rule_over(table, state, p, last_months, initial_rule, nullptr);
  initial_rule = *rule.rule;
  initial_rule.leave = rule.leave;
  return &initial_rule;
}

// One step of person p, who is not inert (or may invite).
void advance_person(const Model& model, const TransitionTable& table, ReplicateState& state,
                    std::uint32_t p, int step, HeardRules& heard_rules, const Draw& draw,
                    PeopleTally& tally) {
  People& people = state.people;
  const Stage from = people.stage[p];
  const StageRule* rule = nullptr;
  StepPath path{table.dt_months, 0.0};  // the draw covers the whole step...
  StageRule initial_rule, late_rule;
  const StageRule* last = nullptr;
  double late = 0.0;  // ...and, for a teammate invited last step, the half step before it
  if (from == Stage::unaware) {  // one rule for all (or the graph's)
    const StageRule* heard = table.graph ? heard_rules.at(state, p) : nullptr;
    rule = heard != nullptr ? heard : &table.rules[0][static_cast<int>(Stage::unaware)];
  } else {
    rule = &class_rule(table, state, p, from);
    if (from == Stage::evaluator) {
      last = window_end(model, table, state, p, step, path.at, initial_rule);  // ...or its end
      if (last != nullptr) rule = last;
      if (invited_last_step(people, p, step)) {
        // Invited, on average, at the middle of the last step, after that step's people phase:
        // the half step it missed as an evaluator is drawn now, with its window's rest.
        late = table.dt_months / 2;
        path.at += late;
        late_rule = *rule;
        late_rule.leave = probability_threshold(-std::expm1(-rule->per_month * path.at));
        rule = &late_rule;
        if (last != nullptr) last = rule;
      }
    }
  }
  const bool moved = move(model, people, p, from, *rule, step, tally, draw);
  if (moved) path.at /= 2;  // a move falls at the middle of the draw's exposure
  path.at = std::max(0.0, path.at - late);
  path.invite_months = table.referrals.per_month(from) * path.at;
  if (moved) {
    arrive_with(model, table, state, p, step, 0, path, tally, &heard_rules);
  } else if (last != nullptr) {
    drop_out(people, p, tally);  // at the window's end: the rest of the step as churned
    arrive_with(model, table, state, p, step, 0, path, tally, &heard_rules);
  }
  if (!table.referrals.on) return;
  path.invite_months += table.referrals.per_month(people.stage[p]) * (table.dt_months - path.at);
  draw_invites(model, table.referrals, state, p, path.invite_months, step, tally.invites);
}

// Bit i set: person first + i of the run.
using RunMask = std::uint64_t;
static_assert(kDrawBatch == 64, "one bit per person of a run");

// The people of a run who may act this step: not inert, or anyone when referrals are on
// (active users invite whatever their own move).
RunMask live_people(const TransitionTable& table, const Stage* stage, int n) {
  if (table.referrals.on) return n == kDrawBatch ? ~RunMask{0} : (RunMask{1} << n) - 1;
  return codes_in_set(stage, n, table.live_stages);
}

// Those of `todo` whose leave word is below the bound of every rule of their stage: the others
// stay, known from the batch alone, so the per-person code never sees them. Leave words are
// mostly far above every bound, so a full run tests them against the largest bound at once and
// looks up the stage's own bound only for the few below it.
RunMask may_leave(const TransitionTable& table, const Stage* stage, const Draw& draw, int n,
                  RunMask todo) {
  RunMask check = todo;
  if (n == kDrawBatch) {
    check &= words_below64(draw.w0, table.leave_hi) | codes_in_set(stage, n, table.never_stay);
  }
  RunMask leave = 0;
  for (; check != 0; check &= check - 1) {
    const int i = std::countr_zero(check);
    leave |= RunMask{draw.w0[i] < table.leave_max[static_cast<int>(stage[i])]} << i;
  }
  return leave;
}

// People in runs of kDrawBatch: masks first (cheap and branch-free), then the per-person code
// for those who may move only. The transition words come from one vectorized Philox batch
// when at least a quarter of the run may move, else one agent at a time; both give the same
// words, so the result does not depend on the choice.
void advance_block(const Model& model, const TransitionTable& table, ReplicateState& state,
                   int step, std::size_t begin, std::size_t end, PeopleTally& tally) {
  HeardRules heard_rules(table);  // per block: blocks run in parallel
  std::uint32_t w0[kDrawBatch], w1[kDrawBatch];
  for (auto first = static_cast<std::uint32_t>(begin); first < end; first += kDrawBatch) {
    const int n = static_cast<int>(std::min<std::size_t>(kDrawBatch, end - first));
    const Stage* stage = state.people.stage.data() + first;
    RunMask todo = live_people(table, stage, n);
    if (todo == 0) continue;
    Draw draw;
    if (std::popcount(todo) >= kDrawBatch / 4) {
      philox_words01(model.streams.key(), first, static_cast<std::uint32_t>(step),
                     Decision::transition, n, w0, w1);
      draw = {w0, w1, first};
      if (!table.referrals.on) todo = may_leave(table, stage, draw, n, todo);
    }
    for (; todo != 0; todo &= todo - 1) {
      const auto p = first + static_cast<std::uint32_t>(std::countr_zero(todo));
      advance_person(model, table, state, p, step, heard_rules, draw, tally);
    }
  }
}

}  // namespace

void advance_people(const Model& model, const TransitionTable& table, ReplicateState& state,
                    int step, std::vector<PeopleTally>& blocks) {
  for_each_block(state.people.size(), kPeopleBlock,
                 [&](std::size_t b, std::size_t begin, std::size_t end) {
                   blocks[b].stage_change = {};
                   blocks[b].invites.clear();
                   advance_block(model, table, state, step, begin, end, blocks[b]);
                 });
  // The exposure's start term, twice (apply_exit adds the changes: the end term): the active
  // users at the step's start, from the stocks at the end of the previous step, whose members
  // the community phase counted under the flags this phase reads.
  std::int64_t active = 0;
  for (int s = 0; s < kStageCount; ++s) {
    if (is_active(static_cast<Stage>(s))) active += state.stage_counts[s];
  }
  PeopleTally& front = blocks.front();
  front.user_halfsteps += 2 * active;
  front.beginner_halfsteps += 2 * state.stage_counts[static_cast<int>(Stage::beginner)];
  front.champion_halfsteps += 2 * state.stage_counts[static_cast<int>(Stage::champion)];
  front.member_user_halfsteps += 2 * state.community.active_member_users;
  front.member_beginner_halfsteps += 2 * state.community.beginner_members;
  front.member_champion_halfsteps += 2 * state.community.champion_members;
  if (!table.referrals.on) return;
  apply_invites(model, state, step, blocks, [&](std::uint32_t invitee, PeopleTally& tally) {
    StepPath path{table.dt_months / 2, 0.0};  // an invite is accepted, on average, mid-step
    arrive(model, table, state, invitee, step, kInviteeIndex, path, tally);
  });
}

}  // namespace flywheel::model
