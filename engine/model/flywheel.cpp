// Phase 2, people (docs/model.md#one-step-the-phases): each person's competing-risk draw under this
// step's transition table (transition_table.cpp), in runs of 64 settled by masks first.
#include "flywheel.hpp"

#include "network_word_of_mouth.hpp"

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
void apply_exit(People& people, std::uint32_t p, Stage from, const Exit& e, int step, int waited,
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
  if (to == Stage::churned) {
    ++tally.churn[static_cast<int>(from)];
    tally.member_churns += (people.flags[p] & kActiveMember) && is_active(from) ? 1 : 0;
  }
  --tally.stage_change[static_cast<int>(from)];
  ++tally.stage_change[static_cast<int>(to)];
  people.stage[p] = to;
}

// Bass on a network (Rand & Rust 2011): an unaware person hears at rate q x s / k, s = its
// neighbours in source stages at the end of the previous step, k = its neighbours. The rule
// depends on (s, k) only, and few pairs occur, so the rules of recent pairs are kept
// (direct-mapped) rather than recomputed with expm1 for each person.
class HeardRules {
 public:
  explicit HeardRules(const TransitionTable& t) : t_(t) {}

  // nullptr when s = 0 (the shared unaware rule applies).
  const StageRule* at(const ReplicateState& state, std::uint32_t p) {
    const std::uint32_t heard = state.word_of_mouth.heard[p];
    if (heard == 0) return nullptr;
    const std::uint64_t degree = state.network.offsets[p + 1] - state.network.offsets[p];
    Slot& slot = slots_[(heard * 0x9E3779B1u + degree) % kSlots];
    if (slot.heard != heard || slot.degree != degree) {
      const double sources = static_cast<double>(heard) / kSourceUnit;  // exact: a power of two
      std::array<double, kChannelCount> rates = t_.unaware_per_month;
      rates[static_cast<int>(Channel::word_of_mouth)] =
          t_.imitation_q_per_month * sources / static_cast<double>(degree);
      slot = {heard, degree, unaware_rule(rates, t_.dt_months)};
    }
    return &slot.rule;
  }

 private:
  static constexpr std::uint32_t kSlots = 64;
  struct Slot {
    std::uint32_t heard = 0;  // 0: empty (never looked up)
    std::uint64_t degree = 0;
    StageRule rule{};
  };
  const TransitionTable& t_;
  std::array<Slot, kSlots> slots_{};
};

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
          int step, int waited, PeopleTally& tally, const Draw& draw) {
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
  apply_exit(people, p, from, pick_exit(rule, exit_word), step, waited, tally);
  return true;
}

// One step of person p, who is not inert (or may invite).
void advance_person(const Model& model, const TransitionTable& table, ReplicateState& state,
                    std::uint32_t p, int step, HeardRules& heard_rules, const Draw& draw,
                    PeopleTally& tally) {
  People& people = state.people;
  const Stage from = people.stage[p];
  if (from == Stage::unaware) {  // one rule for all (or the graph's)
    const StageRule* heard = table.graph ? heard_rules.at(state, p) : nullptr;
    const StageRule& unaware = table.rules[0][static_cast<int>(Stage::unaware)];
    move(model, people, p, from, heard != nullptr ? *heard : unaware, step, 0, tally, draw);
    return;
  }
  const int bits = table.plan_bits[static_cast<int>(state.accounts.plan[people.account[p]])] |
                   person_rule_bits(people.flags[p], from);
  const StageRule* rule = &table.rules[bits][static_cast<int>(from)];
  int waited = 0;
  bool window_ends = false;
  if (from == Stage::evaluator) {
    waited = step - people.signup_step[p] - 1;
    if (model.window_full_steps >= 0 && waited >= model.window_full_steps) {
      rule = &table.evaluator_last[bits];
      window_ends = true;
    }
  }
  if (table.team_on && is_active(from)) {
    const int bin = team_bin(state, p);
    if (bin > 0) rule = &table.team[bin][bits][int(from) - int(Stage::beginner)];
  }
  if (table.referrals.on) draw_invites(model, table.referrals, state, p, from, step, tally.invites);
  const bool moved = move(model, people, p, from, *rule, step, waited, tally, draw);
  if (window_ends && !moved) {
    people.stage[p] = Stage::churned;
    ++tally.evaluator_dropouts;
    --tally.stage_change[static_cast<int>(Stage::evaluator)];
    ++tally.stage_change[static_cast<int>(Stage::churned)];
  }
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
  if (table.referrals.on) apply_invites(model, state, step, blocks);
}

}  // namespace flywheel::model
