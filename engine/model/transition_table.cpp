// The transition table of one step (docs/model.md#one-step-the-phases, 2): competing-risk rules per
// rule class and stage, the team and graph variants, and the bounds that let the people phase
// settle most people from their draws alone.
#include "flywheel.hpp"

#include "network_word_of_mouth.hpp"

#include <algorithm>
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

StageRule make_rule(std::span<const ExitRate> exits, double exposure_months) {
  StageRule rule;
  double total = 0.0;
  for (const ExitRate& e : exits) total += std::max(0.0, e.per_month);
  if (!(total > 0.0)) return rule;
  rule.per_month = total;
  if (!(exposure_months > 0.0)) return rule;
  rule.leave = probability_threshold(-std::expm1(-total * exposure_months));
  rule.leave_half = probability_threshold(-std::expm1(-total * (exposure_months / 2)));
  double cumulative = 0.0;
  for (const ExitRate& e : exits) {
    if (!(e.per_month > 0.0)) continue;
    cumulative += e.per_month;
    // at(): a rule with more exits than slots is a bug; throw rather than write past it.
    rule.exit.at(rule.exits++) = {e.to, e.channel, probability_threshold(cumulative / total)};
  }
  rule.exit[rule.exits - 1].upto = std::uint64_t{1} << 32;  // no gap from rounding
  return rule;
}

StageRule make_rule(std::initializer_list<ExitRate> exits, double exposure_months) {
  return make_rule(std::span<const ExitRate>(exits.begin(), exits.size()), exposure_months);
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
    // The step after the answer makes up the half step the answer missed: 1 + 1.5 (m - 1).
    auto effect = [&](double m) { return bits & kRuleCatchUp ? std::max(0.0, 1.5 * m - 0.5) : m; };
    r.activation *= effect(mods.supported_activation);
    r.churn[int(Stage::evaluator)] *= effect(mods.supported_churn);
    r.churn[int(Stage::beginner)] *= effect(mods.supported_churn);
  }
  if (bits & kRuleProduct) {
    r.activation *= mods.product_activation;
    scale_active_churn(mods.product_churn);
    r.churn[int(Stage::evaluator)] *= mods.product_churn;
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

}  // namespace

StageRule unaware_rule(const std::array<double, kChannelCount>& per_month, double dt) {
  // One exit per awareness channel, in table order (the order fixes which draw picks which).
  static_assert(kAwarenessChannels.size() <= kMaxExits, "every channel needs an exit slot");
  std::array<ExitRate, kAwarenessChannels.size()> exits{};
  for (std::size_t i = 0; i < exits.size(); ++i) {
    const Channel c = kAwarenessChannels[i];
    exits[i] = {Stage::aware, c, per_month[static_cast<int>(c)]};
  }
  return make_rule(exits, dt);
}

namespace {

void graph_word_of_mouth(const Scenario& s, TransitionTable& t) {
  t.graph = true;
  t.unaware_per_month[static_cast<int>(Channel::word_of_mouth)] = 0.0;
  t.imitation_q_per_month = s.acquisition.imitation_q_per_month;
  t.most_source_weight = max_source_weight(s);
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
void bound_leave_thresholds(TransitionTable& t) {
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
    // heard / degree <= the largest source weight (the midpoint is capped there too); the rate
    // is inflated a little so that no rounding of the per-person rule's arithmetic can exceed
    // the bound.
    const double most_heard = t.most_source_weight / double(kSourceUnit);
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
  // Without a community no one is a member, supported or of a motive: only the plan's bits occur,
  // and the other classes are left empty (building all 64 cost a sixth of a small run).
  const int possible =
      model.scenario.strategy.clg.enabled ? kRuleClasses - 1 : (kRulePaid | kRuleNoAccess);
  for (int bits = 0; bits < kRuleClasses; ++bits) {
    if (bits & ~possible) continue;
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
  bound_leave_thresholds(t);
  return t;
}

}  // namespace flywheel::model
