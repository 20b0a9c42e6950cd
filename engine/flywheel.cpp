#include "flywheel.hpp"

#include "byte_scan.hpp"

#include "network_word_of_mouth.hpp"
#include "parallel_blocks.hpp"
#include "philox_batch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <initializer_list>
#include <span>

namespace flywheel::model {

namespace {

struct ExitRate {
  Stage to;
  Channel channel;
  double per_month;
};

// A monthly probability of 1 means "surely within the month": cap it so the rate stays finite.
double rate(double p_per_month) {
  return rate_from_monthly_probability(std::min(p_per_month, 1.0 - 1e-12));
}

StageRule make_rule(std::initializer_list<ExitRate> exits, double exposure_months) {
  StageRule rule;
  double total = 0.0;
  for (const ExitRate& e : exits) total += std::max(0.0, e.per_month);
  if (!(total > 0.0) || !(exposure_months > 0.0)) return rule;
  rule.leave = probability_threshold(-std::expm1(-total * exposure_months));
  double cumulative = 0.0;
  for (const ExitRate& e : exits) {
    if (!(e.per_month > 0.0)) continue;
    cumulative += e.per_month;
    rule.exit[rule.exits++] = {e.to, e.channel, probability_threshold(cumulative / total)};
  }
  rule.exit[rule.exits - 1].upto = std::uint64_t{1} << 32;  // no gap from rounding
  return rule;
}

// The hazards (per month) of one rule class.
struct ClassRates {
  double signup, forget, activation, adoption, advocacy, reactivation;
  std::array<double, kStageCount> churn;
};

ClassRates class_rates(const FunnelSpec& f, const RuleModifiers& mods, int bits) {
  ClassRates r{rate(f.signup_per_month),
               rate(f.forget_per_month),
               rate(f.activation_per_month),
               rate(f.adoption_per_month),
               rate(f.advocacy_per_month),
               rate(f.reactivation_per_month),
               {}};
  for (int s = 0; s < kStageCount; ++s) r.churn[s] = rate(f.churn_per_month[s]) * mods.churn;
  r.activation *= mods.activation;
  auto scale_active_churn = [&](double x) {
    for (Stage s : {Stage::beginner, Stage::regular, Stage::champion}) r.churn[int(s)] *= x;
  };
  if (bits & kRulePaid) scale_active_churn(f.paid_churn_multiplier);
  if (bits & kRuleMember) {
    scale_active_churn(mods.member_churn);
    r.churn[int(Stage::evaluator)] *= mods.member_churn;
    r.advocacy *= mods.member_advocacy;
  }
  if (bits & kRuleSupported) {
    r.activation *= mods.supported_activation;
    r.churn[int(Stage::evaluator)] *= mods.supported_churn;
    r.churn[int(Stage::beginner)] *= mods.supported_churn;
  }
  if (bits & kRuleNoAccess) {
    r.signup *= mods.signup_no_access;
    r.activation = 0.0;  // no product to reach value in
    r.reactivation = 0.0;
  }
  return r;
}

StageRule evaluator_rule(const ClassRates& r, double exposure_months) {
  return make_rule({{Stage::beginner, Channel::initial, r.activation},
                    {Stage::churned, Channel::initial, r.churn[int(Stage::evaluator)]}},
                   exposure_months);
}

void class_rules(const ClassRates& r, double dt, std::array<StageRule, kStageCount>& out) {
  out[int(Stage::aware)] =
      make_rule({{Stage::evaluator, {}, r.signup}, {Stage::unaware, {}, r.forget}}, dt);
  out[int(Stage::evaluator)] = evaluator_rule(r, dt);
  out[int(Stage::beginner)] = make_rule(
      {{Stage::regular, {}, r.adoption}, {Stage::churned, {}, r.churn[int(Stage::beginner)]}}, dt);
  out[int(Stage::regular)] = make_rule(
      {{Stage::champion, {}, r.advocacy}, {Stage::churned, {}, r.churn[int(Stage::regular)]}}, dt);
  out[int(Stage::champion)] = make_rule({{Stage::churned, {}, r.churn[int(Stage::champion)]}}, dt);
  out[int(Stage::churned)] = make_rule({{Stage::beginner, {}, r.reactivation}}, dt);
}

// The active users' rules of one class for each share bin of active teammates.
void team_rules(const FunnelSpec& f, const ClassRates& base, double dt, int bits,
                TransitionTable& t) {
  for (int bin = 1; bin < kTeamBins; ++bin) {
    const double share = static_cast<double>(bin) / (kTeamBins - 1);
    ClassRates r = base;
    r.adoption *= 1.0 + f.team_adoption_lift * share;
    for (Stage s : {Stage::beginner, Stage::regular, Stage::champion}) {
      r.churn[int(s)] *= std::max(0.0, 1.0 - f.team_churn_reduction * share);
    }
    std::array<StageRule, kStageCount> rules{};
    class_rules(r, dt, rules);
    for (int i = 0; i < 3; ++i) t.team[bin][bits][i] = rules[int(Stage::beginner) + i];
  }
}

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

}  // namespace

namespace {

StageRule unaware_rule(const std::array<double, kChannelCount>& per_month, double dt) {
  auto aware_by = [&](Channel c) { return per_month[static_cast<int>(c)]; };
  return make_rule({{Stage::aware, Channel::organic, aware_by(Channel::organic)},
                    {Stage::aware, Channel::word_of_mouth, aware_by(Channel::word_of_mouth)},
                    {Stage::aware, Channel::paid, aware_by(Channel::paid)},
                    {Stage::aware, Channel::community, aware_by(Channel::community)},
                    {Stage::aware, Channel::sales, aware_by(Channel::sales)}},
                   dt);
}

void graph_word_of_mouth(const Scenario& s, TransitionTable& t) {
  t.graph = true;
  t.unaware_per_month[static_cast<int>(Channel::word_of_mouth)] = 0.0;
  t.imitation_q_per_month = s.acquisition.imitation_q_per_month;
}

// A stage is inert when no class leaves it; evaluators (window), active stages under team
// effects and unaware people on a graph (their own rules) are never marked.
void mark_inert_stages(TransitionTable& t) {
  for (int s = 0; s < kStageCount; ++s) {
    const auto stage = static_cast<Stage>(s);
    bool inert = stage != Stage::evaluator && !(t.team_on && is_active(stage)) &&
                 !(t.graph && stage == Stage::unaware);
    for (int bits = 0; bits < kRuleClasses && inert; ++bits) inert = t.rules[bits][s].leave == 0;
    t.inert[s] = inert;
  }
}

// An upper bound of the leave threshold of each stage, over everything that picks a rule.
void bound_leave_thresholds(const Model& model, TransitionTable& t) {
  for (int s = 0; s < kStageCount; ++s) {
    std::uint64_t most = 0;
    for (int bits = 0; bits < kRuleClasses; ++bits) {
      most = std::max(most, t.rules[bits][s].leave);
      if (t.team_on && is_active(static_cast<Stage>(s))) {
        for (int bin = 1; bin < kTeamBins; ++bin) {
          most = std::max(most, t.team[bin][bits][s - int(Stage::beginner)].leave);
        }
      }
    }
    t.leave_max[s] = most;
  }
  t.leave_max[int(Stage::evaluator)] = std::uint64_t{1} << 32;
  if (t.graph) {
    // heard / degree <= the largest source weight; the rate is inflated a little so that no
    // rounding of the per-person rule's arithmetic can exceed the bound.
    const double most_heard = max_source_weight(model.scenario) / double(kSourceUnit);
    std::array<double, kChannelCount> rates = t.unaware_per_month;
    rates[static_cast<int>(Channel::word_of_mouth)] =
        t.imitation_q_per_month * most_heard * (1.0 + 1e-9) + 1e-300;
    t.leave_max[int(Stage::unaware)] =
        std::max(t.leave_max[int(Stage::unaware)], unaware_rule(rates, t.dt_months).leave);
  }
  static_assert(kStageCount <= 8, "stage sets are bytes");
  for (int s = 0; s < kStageCount; ++s) {
    if (!t.inert[s]) t.live_stages |= std::uint8_t(1u << s);
    if (t.leave_max[s] > 0xFFFFFFFFu) {
      t.never_stay |= std::uint8_t(1u << s);
    } else {
      t.leave_hi = std::max(t.leave_hi, static_cast<std::uint32_t>(t.leave_max[s]));
    }
  }
}

}  // namespace

TransitionTable transition_table(const Model& model, const AwarenessRates& awareness,
                                 const RuleModifiers& modifiers) {
  const FunnelSpec& f = model.scenario.funnel;
  const double dt = model.time.step_months();
  TransitionTable t;
  t.dt_months = dt;
  t.unaware_per_month = awareness.per_month;
  if (!model.scenario.network.well_mixed()) graph_word_of_mouth(model.scenario, t);
  // Unaware people have no class: awareness depends on the channels only.
  const StageRule unaware = unaware_rule(t.unaware_per_month, dt);
  for (int bits = 0; bits < kRuleClasses; ++bits) {
    const ClassRates r = class_rates(f, modifiers, bits);
    t.rules[bits][int(Stage::unaware)] = unaware;
    class_rules(r, dt, t.rules[bits]);
    t.evaluator_last[bits] = evaluator_rule(r, model.window_last_exposure_months);
    if (f.team_effects()) team_rules(f, r, dt, bits, t);
  }
  t.team_on = f.team_effects();
  const bool free_tier =
      model.scenario.strategy.plg.enabled && model.scenario.strategy.plg.free_tier;
  const std::uint8_t no_access = free_tier ? 0 : kRuleNoAccess;
  t.plan_bits[int(Plan::free)] = no_access;
  t.plan_bits[int(Plan::trial)] = 0;
  t.plan_bits[int(Plan::paid)] = kRulePaid;
  t.plan_bits[int(Plan::cancelled)] = no_access;
  mark_inert_stages(t);
  bound_leave_thresholds(model, t);
  return t;
}

namespace {

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
    ++tally.dropouts;
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
  if (n == kDrawBatch) return codes_in_set64(reinterpret_cast<const std::uint8_t*>(stage), table.live_stages);
  RunMask live = 0;
  for (int i = 0; i < n; ++i) live |= RunMask{(table.live_stages >> int(stage[i])) & 1u} << i;
  return live;
}

// Those of `todo` whose leave word is below the bound of every rule of their stage: the others
// stay, known from the batch alone, so the per-person code never sees them. Leave words are
// mostly far above every bound, so a full run tests them against the largest bound at once and
// looks up the stage's own bound only for the few below it.
RunMask may_leave(const TransitionTable& table, const Stage* stage, const Draw& draw, int n,
                  RunMask todo) {
  RunMask check = todo;
  if (n == kDrawBatch) {
    check &= words_below64(draw.w0, table.leave_hi) |
             codes_in_set64(reinterpret_cast<const std::uint8_t*>(stage), table.never_stay);
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
