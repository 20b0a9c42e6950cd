// Levers switched on whose effect is zero by construction: a rule no account can meet, reps
// with nothing to sell, invites nobody sends or accepts, network effects in one-person accounts.
// Each one runs, costs what it costs and changes nothing.
#include "common/key_path.hpp"
#include "param_schema.hpp"
#include "scenario_warnings_parts.hpp"

#include <algorithm>
#include <string>

namespace flywheel::warnings {

namespace {

using loader::format_number;
using loader::item_path;

void check_plg(const Scenario& s, Warnings& out) {
  const PlgSpec& plg = s.strategy.plg;
  const int months = s.simulation.months;
  if (!plg.enabled) return;
  const bool pql_used = (plg.free_tier && ever_positive(plg.pql_conversion_per_month, months)) ||
                        (s.strategy.slg.enabled && s.strategy.slg.pql_assist && plg.free_tier);
  if (pql_used && !pql_reachable(s)) {
    const int largest = largest_account(s);
    out.add("strategy.plg.pql_min_active_users",
            "no account is ever a PQL: the rule needs " + std::to_string(plg.pql_min_active_users) +
                " active users and the largest account has " + std::to_string(largest) +
                " people, so pql_conversion_per_month and PQL assist never act",
            "set pql_min_active_users to at most " + std::to_string(largest));
  }
  const bool card = plg.trial.card_required;
  if (plg.trial.enabled && !trial_converts(s)) {
    out.add(card ? "strategy.plg.trial.conversion_with_card"
                 : "strategy.plg.trial.conversion_without_card",
            "no trial ever converts: the conversion probability at expiry is 0",
            "set it above 0, or switch the trial off");
  }
  const bool moves = ever_positive(plg.upgrade_per_month, months) ||
                     ever_positive(plg.downgrade_per_month, months);
  if (moves && plg.tiers.size() < 2) {
    out.add("strategy.plg.upgrade_per_month",
            "no account changes tier: upgrade_per_month or downgrade_per_month is set but there "
            "is only one plan tier",
            "list at least two strategy.plg.tiers, or set both rates to 0");
  }
}

// One sold segment that can never close a deal, or only deals worth nothing.
void check_sold_segment(const Scenario& s, std::size_t i, Warnings& out) {
  const Segment& seg = s.market.segments[i];
  const std::string path = item_path("market.segments", i);
  const PlgSpec& plg = s.strategy.plg;
  const bool pql_assist =
      s.strategy.slg.pql_assist && plg.enabled && plg.free_tier && pql_reachable(s);
  if (seg.sales.sql_to_won == 0) {
    out.add(path + ".sales.sql_to_won",
            "reps never win a deal in segment \"" + seg.name + "\": sql_to_won is 0",
            "set sql_to_won above 0, or sold: false");
  } else if (seg.sales.lead_to_mql * seg.sales.mql_to_sql == 0 && !pql_assist) {
    out.add(path + ".sales",
            "no lead of segment \"" + seg.name +
                "\" ever reaches a rep: lead_to_mql x mql_to_sql is 0 and no PQL is handed over",
            "set lead_to_mql and mql_to_sql above 0");
  } else if (seg.price_usd_per_seat_month * seg.sales.contract_price_multiplier == 0) {
    out.add(path + ".price_usd_per_seat_month",
            "reps of segment \"" + seg.name +
                "\" win contracts worth 0: the contract seat price (price x "
                "contract_price_multiplier) is 0",
            "set price_usd_per_seat_month and contract_price_multiplier above 0");
  }
}

void check_sales(const Scenario& s, Warnings& out) {
  const SlgSpec& slg = s.strategy.slg;
  if (!slg.enabled) return;
  if (!ever_positive(slg.reps, s.simulation.months)) {
    out.add("strategy.slg.reps",
            "sales never acts: reps is 0 in every month of the horizon, so no deal is worked",
            "set reps above 0 (a schedule may hire later), or remove strategy.slg");
    return;
  }
  const PlgSpec& plg = s.strategy.plg;
  const bool pql_assist = slg.pql_assist && plg.enabled && plg.free_tier;
  if (slg.inbound_lead_per_signup == 0 && slg.outbound_leads_per_rep_month == 0 && !pql_assist) {
    out.add("strategy.slg",
            "reps get no leads: inbound_lead_per_signup and outbound_leads_per_rep_month are 0 "
            "and no PQL is handed over (pql_assist needs strategy.plg with a free tier)",
            "set outbound_leads_per_rep_month or inbound_lead_per_signup above 0");
  }
  for (std::size_t i = 0; i < s.market.segments.size(); ++i) {
    const Segment& seg = s.market.segments[i];
    if (seg.sales.sold) check_sold_segment(s, i, out);
    if (seg.sales.sold && seg.sales.ramp_start_share < 1.0 && slg.ramp_months == 0) {
      out.add(item_path("market.segments", i) + ".sales.ramp_start_share",
              "deals of segment \"" + seg.name +
                  "\" never ramp: ramp_start_share is below 1 but strategy.slg.ramp_months is 0",
              "set strategy.slg.ramp_months above 0, or ramp_start_share to 1");
    }
  }
}

void check_referrals(const Scenario& s, Warnings& out) {
  const ReferralSpec& r = s.strategy.referrals;
  const int months = s.simulation.months;
  if (!r.enabled) return;
  const bool regulars = ever_positive(r.regular_invites_per_month, months);
  const bool champions = ever_positive(r.champion_invites_per_month, months);
  // Champions exist only through advocacy (or from the start).
  const bool any_champion =
      s.funnel.advocacy_per_month > 0 || s.initial.stage_shares[int(Stage::champion)] > 0;
  if (!regulars && !champions) {
    out.add("strategy.referrals",
            "referrals have no effect: regulars and champions send 0 invites in every month",
            "set regular_invites_per_month or champion_invites_per_month above 0, or remove "
            "strategy.referrals");
  } else if (!regulars && !any_champion) {
    out.add("strategy.referrals.champion_invites_per_month",
            "referrals have no effect: only champions invite, and nobody ever becomes a "
            "champion (funnel.advocacy_per_month is 0)",
            "set regular_invites_per_month or funnel.advocacy_per_month above 0");
  } else if (r.acceptance_probability() == 0) {
    out.add("strategy.referrals.acceptance",
            "referrals have no effect: no invite is ever accepted (acceptance is 0)",
            "set acceptance above 0");
  }
}

void check_network_effects(const Scenario& s, Warnings& out) {
  const FunnelSpec& f = s.funnel;
  if (f.team_effects() && largest_account(s) == 1) {
    out.add(f.team_adoption_lift != 0 ? "funnel.team_adoption_lift" : "funnel.team_churn_reduction",
            "team network effects never act: every account has one person, so nobody has a "
            "teammate",
            "give market.segments[].account_size more than one person, or set the team lifts "
            "to 0");
  }
  const AcquisitionSpec& a = s.acquisition;
  const bool sources = std::any_of(a.word_of_mouth_sources.begin(), a.word_of_mouth_sources.end(),
                                   [](bool on) { return on; });
  if (a.imitation_q_per_month > 0 && !sources) {
    out.add("acquisition.word_of_mouth_sources",
            "word of mouth never acts: imitation_q_per_month is " +
                format_number(a.imitation_q_per_month) + " but no stage spreads it",
            "list the stages that talk, e.g. [regular, champion]");
  }
}

}  // namespace

void check_levers(const Scenario& s, Warnings& out) {
  check_plg(s, out);
  check_sales(s, out);
  check_referrals(s, out);
  check_network_effects(s, out);
}

}  // namespace flywheel::warnings
