#include "flywheel.hpp"

#include "parallel_blocks.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

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

StageRule evaluator_rule(const FunnelSpec& f, double exposure_months) {
  return make_rule({{Stage::beginner, Channel::initial, rate(f.activation_per_month)},
                    {Stage::churned, Channel::initial,
                     rate(f.churn_per_month[static_cast<int>(Stage::evaluator)])}},
                   exposure_months);
}

}  // namespace

TransitionTable transition_table(const Model& model, const AwarenessRates& awareness) {
  const FunnelSpec& f = model.scenario.funnel;
  const double dt = model.time.step_months();
  double churn_factor = 1.0;
  auto churn = [&](Stage s) { return churn_factor * rate(f.churn_per_month[static_cast<int>(s)]); };
  auto aware_by = [&](Channel c) { return awareness.per_month[static_cast<int>(c)]; };
  TransitionTable t;
  auto& r = t.rule;
  r[int(Stage::unaware)] =
      make_rule({{Stage::aware, Channel::organic, aware_by(Channel::organic)},
                 {Stage::aware, Channel::word_of_mouth, aware_by(Channel::word_of_mouth)},
                 {Stage::aware, Channel::paid, aware_by(Channel::paid)}},
                dt);
  r[int(Stage::aware)] = make_rule({{Stage::evaluator, {}, rate(f.signup_per_month)},
                                    {Stage::unaware, {}, rate(f.forget_per_month)}},
                                   dt);
  r[int(Stage::evaluator)] = evaluator_rule(f, dt);
  auto active_rules = [&](std::array<StageRule, kStageCount>& out) {
    out[int(Stage::beginner)] = make_rule({{Stage::regular, {}, rate(f.adoption_per_month)},
                                           {Stage::churned, {}, churn(Stage::beginner)}},
                                          dt);
    out[int(Stage::regular)] = make_rule({{Stage::champion, {}, rate(f.advocacy_per_month)},
                                          {Stage::churned, {}, churn(Stage::regular)}},
                                         dt);
    out[int(Stage::champion)] = make_rule({{Stage::churned, {}, churn(Stage::champion)}}, dt);
  };
  active_rules(r);
  t.paid_rule = r;
  churn_factor = f.paid_churn_multiplier;
  active_rules(t.paid_rule);
  t.paid_differs = f.paid_churn_multiplier != 1.0;
  r[int(Stage::churned)] = make_rule({{Stage::beginner, {}, rate(f.reactivation_per_month)}}, dt);
  t.evaluator_last = evaluator_rule(f, model.window_last_exposure_months);
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
      }
      break;
    case Stage::evaluator:
      if (to == Stage::beginner) {
        people.flags[p] |= kEverActivated;
        ++tally.activations;
        ++tally.ttv_steps[std::min(waited, kTtvBins - 1)];
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
  if (to == Stage::churned) ++tally.churn[static_cast<int>(from)];
  --tally.stage_change[static_cast<int>(from)];
  ++tally.stage_change[static_cast<int>(to)];
  people.stage[p] = to;
}

const Exit& pick_exit(const StageRule& rule, std::uint32_t word) {
  int i = 0;
  while (i + 1 < rule.exits && word >= rule.exit[i].upto) ++i;
  return rule.exit[i];
}

void advance_block(const Model& model, const TransitionTable& table, ReplicateState& state,
                   int step, std::size_t begin, std::size_t end, PeopleTally& tally) {
  People& people = state.people;
  const std::vector<Plan>& plan = state.accounts.plan;
  const bool windowed = model.window_full_steps >= 0;
  for (auto p = static_cast<std::uint32_t>(begin); p < end; ++p) {
    const Stage from = people.stage[p];
    const StageRule* rule = &table.rule[static_cast<int>(from)];
    if (table.paid_differs && is_active(from) && plan[people.account[p]] == Plan::paid) {
      rule = &table.paid_rule[static_cast<int>(from)];
    }
    int waited = 0;
    bool window_ends = false;
    if (from == Stage::evaluator) {
      waited = step - people.signup_step[p] - 1;
      if (windowed && waited >= model.window_full_steps) {
        rule = &table.evaluator_last;
        window_ends = true;
      }
    }
    bool moved = false;
    if (rule->leave != 0) {
      const auto w = model.streams.words(p, static_cast<std::uint32_t>(step), Decision::transition);
      if (w[0] < rule->leave) {
        apply_exit(people, p, from, pick_exit(*rule, w[1]), step, waited, tally);
        moved = true;
      }
    }
    if (window_ends && !moved) {
      people.stage[p] = Stage::churned;
      ++tally.dropouts;
      --tally.stage_change[static_cast<int>(Stage::evaluator)];
      ++tally.stage_change[static_cast<int>(Stage::churned)];
    }
  }
}

}  // namespace

void advance_people(const Model& model, const TransitionTable& table, ReplicateState& state,
                    int step, std::vector<PeopleTally>& blocks) {
  for_each_block(state.people.size(), kPeopleBlock,
                 [&](std::size_t b, std::size_t begin, std::size_t end) {
                   blocks[b].stage_change = {};
                   advance_block(model, table, state, step, begin, end, blocks[b]);
                 });
}

}  // namespace flywheel::model
