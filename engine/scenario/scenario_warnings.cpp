// scenario_warnings: the checks of scenario_warnings_*.cpp in order, and the first of them: can
// the scenario earn anything at all? A scenario that shows no intent to earn (no price, no
// conversion lever, no spend, no money target: the docking cases of scenarios/validation/) is a
// diffusion model, not a business model, and the revenue checks stay silent for it.
#include <flywheel/scenario/warnings.hpp>

#include "param_schema.hpp"
#include "scenario_warnings_parts.hpp"

#include <flywheel/spec/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

namespace flywheel {

namespace warnings {

double max_in_horizon(const Schedule& schedule, int months) {
  double most = -std::numeric_limits<double>::infinity();
  for (const Schedule::Piece& piece : schedule.pieces) {
    if (piece.from_month < months) most = std::max(most, piece.value);
  }
  return most;
}

bool ever_positive(const Schedule& schedule, int months) {
  return max_in_horizon(schedule, months) > 0;
}

int largest_account(const Scenario& s) {
  int largest = 1;
  for (const Segment& seg : s.market.segments) {
    const AccountSize& size = seg.account_size;
    // As population.cpp draws it: a fixed size is round(mean), clamped to [1, max_people].
    const double most = size.distribution == SizeDistribution::fixed
                            ? std::clamp(std::round(size.mean_people), 1.0, double(size.max_people))
                            : double(size.max_people);
    largest = std::max(largest, static_cast<int>(most));
  }
  return largest;
}

bool pql_reachable(const Scenario& s) {
  return s.strategy.plg.pql_min_active_users <= largest_account(s);
}

bool self_serve_converts(const Scenario& s) {
  const PlgSpec& plg = s.strategy.plg;
  const int months = s.simulation.months;
  if (!plg.enabled || !plg.free_tier) return false;
  return (ever_positive(plg.pql_conversion_per_month, months) && pql_reachable(s)) ||
         ever_positive(plg.free_conversion_per_month, months);
}

bool trial_converts(const Scenario& s) {
  const TrialSpec& trial = s.strategy.plg.trial;
  if (!s.strategy.plg.enabled || !trial.enabled) return false;
  return (trial.card_required ? trial.conversion_with_card : trial.conversion_without_card) > 0;
}

bool sales_wins(const Scenario& s) {
  const SlgSpec& slg = s.strategy.slg;
  if (!slg.enabled || !ever_positive(slg.reps, s.simulation.months)) return false;
  const PlgSpec& plg = s.strategy.plg;
  const bool pql_assist = slg.pql_assist && plg.enabled && plg.free_tier && pql_reachable(s);
  const bool leads = slg.inbound_lead_per_signup > 0 || slg.outbound_leads_per_rep_month > 0;
  return std::any_of(s.market.segments.begin(), s.market.segments.end(), [&](const Segment& seg) {
    const SegmentSales& sales = seg.sales;
    const bool sqls = pql_assist || (leads && sales.lead_to_mql * sales.mql_to_sql > 0);
    return sales.sold && sales.sql_to_won > 0 && sqls;
  });
}

namespace {

double first_tier_multiplier(const Scenario& s) {
  const std::vector<PlanTier>& tiers = s.strategy.plg.tiers;
  return s.strategy.plg.enabled && !tiers.empty() ? tiers.front().price_multiplier : 1.0;
}

// Some account can pay more than 0: self-serve at the first tier's price, or a sales contract.
bool priced(const Scenario& s) {
  return std::any_of(s.market.segments.begin(), s.market.segments.end(), [&](const Segment& seg) {
    const double contract = seg.sales.sold ? seg.sales.contract_price_multiplier : 0.0;
    return seg.price_usd_per_seat_month * std::max(first_tier_multiplier(s), contract) > 0;
  });
}

bool spends(const Scenario& s) {
  const StrategySpec& st = s.strategy;
  const int months = s.simulation.months;
  const ClgSpec& clg = st.clg;
  const bool community = clg.enabled && ever_positive(clg.team_size, months);
  return ever_positive(st.marketing.spend_usd_per_month, months) || st.slg.enabled || community ||
         (st.referrals.enabled && st.referrals.reward_usd > 0) ||
         ever_positive(s.economics.product_spend_usd_per_month, months);
}

bool money_target(const Scenario& s) {
  return std::any_of(s.targets.begin(), s.targets.end(), [](const Target& t) {
    const std::optional<Metric> metric = metric_by_name(t.metric);
    return metric && std::string_view(metric_infos()[int(*metric)].unit).starts_with("USD");
  });
}

// A price, a way to convert, spend or a money target: the scenario means to be a business.
bool means_to_earn(const Scenario& s) {
  const PlgSpec& plg = s.strategy.plg;
  const int months = s.simulation.months;
  const bool converts =
      plg.enabled && (ever_positive(plg.pql_conversion_per_month, months) ||
                      ever_positive(plg.free_conversion_per_month, months) || plg.trial.enabled);
  return priced(s) || converts || spends(s) || money_target(s);
}

// Share of people who start past `unaware` (aware and beyond) or past `aware` (signed up).
double initial_share_from(const Scenario& s, Stage first) {
  double share = 0;
  for (int stage = int(first); stage < kStageCount; ++stage) {
    share += s.initial.stage_shares[stage];
  }
  return share;
}

// Some channel makes a first person aware (word of mouth needs someone aware already).
bool awareness_starts(const Scenario& s) {
  const int months = s.simulation.months;
  const MarketingSpec& marketing = s.strategy.marketing;
  const ClgSpec& clg = s.strategy.clg;
  const bool paid = ever_positive(marketing.spend_usd_per_month, months) &&
                    std::isfinite(marketing.cost_per_aware_usd);
  const bool draw = clg.enabled && ever_positive(clg.nonuser_draw_per_month, months) &&
                    clg.motives.practice + clg.motives.play > 0;
  return s.acquisition.innovation_p_per_month > 0 || paid || draw ||
         initial_share_from(s, Stage::aware) > 0;
}

bool activation_possible(const Scenario& s) {
  const PlgSpec& plg = s.strategy.plg;
  const double onboarding =
      plg.enabled ? max_in_horizon(plg.onboarding_activation_multiplier, s.simulation.months) : 1;
  return s.funnel.activation_per_month * onboarding > 0;
}

void check_paths_to_pay(const Scenario& s, Warnings& out) {
  if (!activation_possible(s) && initial_share_from(s, Stage::beginner) == 0) {
    out.add("funnel.activation_per_month",
            "no account converts: no evaluator ever activates (activation_per_month x "
            "onboarding_activation_multiplier is 0), and self-serve and trial conversion need "
            "an active user",
            "set funnel.activation_per_month above 0");
  }
  if (s.funnel.signup_per_month == 0 && initial_share_from(s, Stage::evaluator) == 0) {
    out.add("funnel.signup_per_month",
            "no account converts: nobody ever signs up (signup_per_month is 0 and nobody starts "
            "signed up), and self-serve and trial conversion need a user",
            "set funnel.signup_per_month above 0");
  }
  if (!awareness_starts(s)) {
    out.add("acquisition",
            "no account converts: nobody ever hears of the product (no innovation_p_per_month, "
            "paid marketing or community draw, and everyone starts unaware; word of mouth needs "
            "someone aware to start)",
            "set acquisition.innovation_p_per_month or strategy.marketing.spend_usd_per_month "
            "above 0, or start some people aware with initial.stage_shares");
  }
}

}  // namespace

void check_revenue(const Scenario& s, Warnings& out) {
  if (!means_to_earn(s)) return;
  if (!priced(s)) {
    const bool one = s.market.segments.size() == 1;
    out.add(one ? "market.segments[0].price_usd_per_seat_month" : "market.segments",
            "no revenue is possible: every seat price is 0 (price_usd_per_seat_month x the first "
            "plan tier's or the sales contract's price multiplier), so ARR stays 0",
            "set market.segments[].price_usd_per_seat_month above 0");
    return;
  }
  const bool sales = sales_wins(s);
  if (!self_serve_converts(s) && !trial_converts(s) && !sales) {
    out.add("strategy",
            "no revenue is possible: no account can start paying (no self-serve conversion, no "
            "trial that converts and no sales), so ARR stays 0",
            "set strategy.plg.pql_conversion_per_month or free_conversion_per_month above 0, a "
            "converting strategy.plg.trial, or strategy.slg with reps and a sold segment");
    return;
  }
  // Sales need neither signups nor activation: outbound finds leads, a win onboards people.
  if (!sales) check_paths_to_pay(s, out);
}

}  // namespace warnings

std::vector<Diagnostic> scenario_warnings(const Scenario& scenario) {
  warnings::Warnings out(scenario);
  warnings::check_revenue(scenario, out);
  warnings::check_levers(scenario, out);
  warnings::check_community(scenario, out);
  warnings::check_targets(scenario, out);
  warnings::check_schedules(scenario, out);
  return out.take();
}

}  // namespace flywheel
