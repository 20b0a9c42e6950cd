#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

// A monthly probability as a hazard per month; a probability of 1 ("at once") as a hazard of
// one a day, fast against every other rate of the model.
double rate(double p_per_month) {
  constexpr double kAtOnce = 30.4375;
  if (!(p_per_month > 0.0)) return 0.0;
  if (p_per_month >= 1.0) return kAtOnce;
  return std::min(kAtOnce, -std::log1p(-p_per_month));
}

}  // namespace

Twin::Twin(const Scenario& s)
    : scenario(s), model(s, 0), classes(size_classes(s)) {
  const PlgSpec& plg = s.strategy.plg;
  tiers = std::max<int>(1, plg.enabled ? static_cast<int>(plg.tiers.size()) : 1);
  access_always.assign(kFirstExtraPlan, false);
  // Mechanisms with plans of their own register them here, before the paid tiers.
  paid0 = plans;
  plans = paid0 + tiers;
  access_always.resize(static_cast<std::size_t>(plans), true);
  flows_at = classes.size() * static_cast<std::size_t>(plans) * kBlock;
  origins_at = flows_at + kFlows;
  community_at = origins_at + kChannelCount;
  has_community = s.strategy.clg.enabled;
  for (const SizeClass& c : classes) largest_class = std::max(largest_class, c.size);
  people_total = static_cast<double>(s.market.people);
  set_month(0);
}

void Twin::set_month(int month) {
  const Scenario& s = scenario;
  const FunnelSpec& f = s.funnel;
  MonthRates r;
  r.signup = rate(f.signup_per_month);
  r.forget = rate(f.forget_per_month);
  r.activation = rate(f.activation_per_month) * model.onboarding_activation_multiplier(month);
  r.adoption = rate(f.adoption_per_month);
  r.advocacy = rate(f.advocacy_per_month);
  r.reactivation = rate(f.reactivation_per_month);
  for (int st = 0; st < kStageCount; ++st) r.churn[st] = rate(f.churn_per_month[st]);
  r.paid_churn = f.paid_churn_multiplier;
  r.window_phase = model.window_months > 0.0 ? kWindowPhases / model.window_months : 0.0;
  r.innovation = s.acquisition.innovation_p_per_month;
  r.imitation = s.acquisition.imitation_q_per_month;
  r.paid_bought = s.strategy.marketing.spend_usd_per_month.at(month) /
                  s.strategy.marketing.cost_per_aware_usd;
  r.source = s.acquisition.word_of_mouth_sources;
  const ReferralSpec& ref = s.strategy.referrals;
  if (ref.enabled) {
    r.referral_regular = std::max(0.0, ref.regular_invites_per_month.at(month));
    r.referral_champion = std::max(0.0, ref.champion_invites_per_month.at(month));
    r.referral_accept = ref.acceptance_probability();
  }
  r.teammate_invites = f.teammate_invites_per_month;
  r.team_adoption_lift = f.team_adoption_lift;
  r.team_churn_reduction = f.team_churn_reduction;
  const PlgSpec& plg = s.strategy.plg;
  r.self_serve = plg.enabled && plg.free_tier;
  if (r.self_serve) {
    r.free_conversion = rate(plg.free_conversion_per_month.at(month));
    r.pql_conversion = rate(plg.pql_conversion_per_month.at(month));
  }
  r.pql_min_active = plg.pql_min_active_users;
  r.min_seats = plg.min_seats;
  // Without a seat policy seats follow active users at once (seats.cpp).
  r.seat_add = plg.enabled ? rate(plg.seat_add_per_month.at(month)) : rate(1.0);
  r.seat_removal = plg.enabled ? rate(plg.seat_removal_per_month.at(month)) : rate(1.0);
  if (plg.enabled && tiers > 1) {
    r.upgrade = rate(plg.upgrade_per_month.at(month));
    r.downgrade = rate(plg.downgrade_per_month.at(month));
  }
  for (const Segment& g : s.market.segments) r.cancel.push_back(rate(g.cancel_per_month));
  rates = std::move(r);
  if (has_community) community = community_rates(*this, month);
}

int Twin::add_plans(int count, bool with_access) {
  const int first = plans;
  plans += count;
  access_always.resize(static_cast<std::size_t>(plans), with_access);
  return first;
}

State Twin::initial_state() const {
  State y(size(), 0.0);
  const auto& shares = scenario.initial.stage_shares;
  const double unaware = shares[static_cast<int>(Stage::unaware)];
  const double aware = shares[static_cast<int>(Stage::aware)];
  const double outside = unaware + aware;  // not signed up
  const int initial_aware = cAware + static_cast<int>(Channel::initial);
  // The stages of people who signed up (evaluator to churned); people who start churned
  // activated once (population.cpp).
  const std::array<std::pair<int, Stage>, 5> signed_up = {
      std::pair{cEvaluator, Stage::evaluator}, {cBeginner, Stage::beginner},
      {cRegular, Stage::regular}, {cChampion, Stage::champion}, {cChurnedEver, Stage::churned}};
  for (std::size_t k = 0; k < classes.size(); ++k) {
    const SizeClass& c = classes[k];
    // Each person's start stage is drawn on its own: an account is untouched when all of its
    // people start unaware or aware.
    const double untouched = c.accounts * std::pow(outside, c.size);
    const double touched = c.accounts - untouched;
    y[accounts_at(k, kUntouched)] = untouched;
    if (outside > 0.0) {
      y[person(k, kUntouched, kRest, cUnaware)] = untouched * c.size * unaware / outside;
      y[person(k, kUntouched, kRest, initial_aware)] = untouched * c.size * aware / outside;
    }
    if (!(touched > 1e-12 * c.accounts)) continue;
    y[accounts_at(k, kProspect)] = touched;
    // A touched account's first signer is one of its signed-up people; its others hold the
    // rest of the touched accounts' people.
    const double people = c.accounts * c.size;
    for (const auto& [comp, stage] : signed_up) {
      const double share = shares[static_cast<int>(stage)];
      const double first = touched * share / (1.0 - outside);
      y[person(k, kProspect, kFirst, comp)] = first;
      y[person(k, kProspect, kRest, comp)] = std::max(0.0, people * share - first);
    }
    const double rest_outside = std::max(0.0, people * outside - untouched * c.size);
    if (outside > 0.0) {
      y[person(k, kProspect, kRest, cUnaware)] = rest_outside * unaware / outside;
      y[person(k, kProspect, kRest, initial_aware)] = rest_outside * aware / outside;
    }
  }
  if (has_community) community_initial(*this, y);
  return y;
}

Aggregates aggregates(const Twin& twin, const State& y) {
  Aggregates a;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = 0; plan < twin.plans; ++plan) {
     for (int group = kFirst; group <= kRest; ++group) {
      const double* b = &y[twin.person(k, plan, group, 0)];
      a.unaware += b[cUnaware];
      double aware = 0.0;
      for (int c = 0; c < kChannelCount; ++c) aware += b[cAware + c];
      a.signable += b[cUnaware] + aware;
      a.aware += aware;
      a.beginners += b[cBeginner];
      a.regulars += b[cRegular];
      a.champions += b[cChampion];
      double evaluators = 0.0;
      for (int i = 0; i < kWindowPhases; ++i) evaluators += b[cEvaluator + i];
      a.evaluators += evaluators;
      const std::array<double, kStageCount> by_stage = {
          b[cUnaware],  aware,         evaluators, b[cBeginner],
          b[cRegular], b[cChampion], b[cChurnedNever] + b[cChurnedEver]};
      for (int s = 0; s < kStageCount; ++s) {
        if (twin.rates.source[s]) a.sources += by_stage[s];
      }
     }
    }
  }
  return a;
}

void Twin::rhs(const State& y, State& dy, double) const {
  std::fill(dy.begin(), dy.end(), 0.0);
  const Aggregates agg = aggregates(*this, y);
  // The community, sales and trials fill theirs here.
  const Couplings with = has_community ? community_couplings(*this, agg, y) : Couplings{};
  people_flows(*this, agg, with, y, dy);
  account_flows(*this, with, y, dy);
  if (has_community) community_flows(*this, agg, with, y, dy);
  for (int c = 0; c < kChannelCount; ++c) dy[origins_at + c] = dy[flows_at + f_signups + c];
}

}  // namespace flywheel::meanfield
