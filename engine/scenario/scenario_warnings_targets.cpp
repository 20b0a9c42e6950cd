// Targets that no run can reach, or that every run reaches, by construction; and schedule
// changes that come after the horizon. Typical slips: ARR above what the whole market paying
// list price would give, a share written as a percentage (2 for 2%), a month counted from 1.
#include "common/key_path.hpp"
#include "param_schema.hpp"
#include "scenario_warnings_parts.hpp"

#include <flywheel/spec/metrics.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace flywheel::warnings {

namespace {

using loader::format_number;
using loader::item_path;

// Metrics that are shares of a whole, in [0, 1] whenever defined.
constexpr std::array<std::string_view, 8> kShareMetrics = {
    "free_to_paid", "trial_conversion",         "logo_churn",        "grr",
    "win_rate",     "community_share_of_users", "member_churn_rate", "product_quality"};

// People in the market as the run counts them (the simulated sample scaled back).
double market_people(const Scenario& s) {
  return std::max(double(s.market.people),
                  double(simulated_people(s)) * double(s.simulation.agent_scale));
}

// Upper bound of MRR, USD/month: every person of every segment pays a seat at the highest price
// a seat can have (top tier or contract), and min_seats can bill more seats than people.
double max_mrr_usd(const Scenario& s) {
  const PlgSpec& plg = s.strategy.plg;
  double tier = 1.0;
  if (plg.enabled && !plg.tiers.empty()) {
    tier = std::max_element(plg.tiers.begin(), plg.tiers.end(), [](const auto& a, const auto& b) {
             return a.price_multiplier < b.price_multiplier;
           })->price_multiplier;
  }
  const double seats_per_person = plg.enabled ? std::max(1, plg.min_seats) : 1;
  double mrr = 0;
  for (const Segment& seg : s.market.segments) {
    const double contract = seg.sales.sold ? seg.sales.contract_price_multiplier : 0.0;
    mrr += market_people(s) * seg.share * seg.price_usd_per_seat_month * std::max(tier, contract) *
           seats_per_person;
  }
  return mrr;
}

std::string usd(double value) {
  std::string text = "$";
  text += format_number(value);
  return text;
}

void check_money_target(const Scenario& s, const Target& t, const std::string& path,
                        Warnings& out) {
  const double months_per_unit = t.metric == "arr_usd" ? 12 : t.metric == "mrr_usd" ? 1 : 0;
  if (months_per_unit == 0 || !t.at_least) return;
  const double most = max_mrr_usd(s) * months_per_unit;
  if (*t.at_least <= most) return;
  out.add(path + ".at_least",
          "this target cannot be reached: " + t.metric + " at least " + usd(*t.at_least) +
              " is above " + usd(most) + ", the " + t.metric +
              " if every person of the market paid a seat at the highest price",
          "lower the target, or raise market.people or the prices");
}

void check_count_target(const Scenario& s, const Target& t, const std::string& path,
                        Warnings& out) {
  const double people = market_people(s);
  if (t.at_least && *t.at_least > people) {
    out.add(path + ".at_least",
            "this target cannot be reached: " + t.metric + " at least " +
                format_number(*t.at_least) + " is above the " + format_number(people) +
                " people of the market (each account has at least one)",
            "lower the target, or raise market.people");
  }
}

void check_share_target(const Target& t, const std::string& path, Warnings& out) {
  const std::string fix = "write shares as fractions (0.02 for 2%)";
  if (t.at_least && *t.at_least > 1) {
    out.add(path + ".at_least",
            "this target cannot be reached: " + t.metric + " is a share in [0, 1] and at_least " +
                "is " + format_number(*t.at_least),
            fix);
  }
  if (t.at_most && *t.at_most < 0) {
    out.add(path + ".at_most",
            "this target cannot be reached: " + t.metric + " is a share in [0, 1] and at_most " +
                "is " + format_number(*t.at_most),
            fix);
  } else if (t.at_most && *t.at_most >= 1 && !t.at_least) {
    out.add(path + ".at_most",
            "this target is met whenever " + t.metric +
                " is defined: it is a share in [0, 1] "
                "and at_most is " +
                format_number(*t.at_most),
            fix);
  }
}

void schedule_in_horizon(const Scenario& s, const std::string& path, const Schedule& schedule,
                         Warnings& out) {
  const int months = s.simulation.months;
  for (std::size_t i = 0; i < schedule.pieces.size(); ++i) {
    const int from = schedule.pieces[i].from_month;
    if (from < months) continue;
    out.add(item_path(path, i) + ".from_month",
            "this change never acts: from_month " + std::to_string(from) +
                " is at or after the horizon (months are counted from 0; the last is " +
                std::to_string(months - 1) + ")",
            "set from_month below " + std::to_string(months) + ", or raise simulation.months");
  }
}

// The schedules of the levers that are on, with their key paths.
std::vector<std::pair<std::string, const Schedule*>> schedules(const Scenario& s) {
  const StrategySpec& st = s.strategy;
  std::vector<std::pair<std::string, const Schedule*>> out = {
      {"strategy.marketing.spend_usd_per_month", &st.marketing.spend_usd_per_month},
      {"economics.product_spend_usd_per_month", &s.economics.product_spend_usd_per_month},
      {"economics.ga_usd_per_month", &s.economics.ga_usd_per_month}};
  auto add = [&](bool on, const char* path, const Schedule& schedule) {
    if (on) out.emplace_back(path, &schedule);
  };
  const PlgSpec& plg = st.plg;
  add(plg.enabled, "strategy.plg.pql_conversion_per_month", plg.pql_conversion_per_month);
  add(plg.enabled, "strategy.plg.free_conversion_per_month", plg.free_conversion_per_month);
  add(plg.enabled, "strategy.plg.onboarding_activation_multiplier",
      plg.onboarding_activation_multiplier);
  add(plg.enabled, "strategy.plg.upgrade_per_month", plg.upgrade_per_month);
  add(plg.enabled, "strategy.plg.downgrade_per_month", plg.downgrade_per_month);
  add(plg.enabled, "strategy.plg.seat_add_per_month", plg.seat_add_per_month);
  add(plg.enabled, "strategy.plg.seat_removal_per_month", plg.seat_removal_per_month);
  add(st.slg.enabled, "strategy.slg.reps", st.slg.reps);
  add(st.slg.enabled, "strategy.slg.programs_usd_per_month", st.slg.programs_usd_per_month);
  add(st.referrals.enabled, "strategy.referrals.regular_invites_per_month",
      st.referrals.regular_invites_per_month);
  add(st.referrals.enabled, "strategy.referrals.champion_invites_per_month",
      st.referrals.champion_invites_per_month);
  const ClgSpec& clg = st.clg;
  add(clg.enabled, "strategy.clg.join_per_month", clg.join_per_month);
  add(clg.enabled, "strategy.clg.nonuser_draw_per_month", clg.nonuser_draw_per_month);
  add(clg.enabled, "strategy.clg.leave_per_month", clg.leave_per_month);
  add(clg.enabled, "strategy.clg.member_churn_multiplier", clg.member_churn_multiplier);
  add(clg.enabled, "strategy.clg.team_size", clg.team_size);
  add(clg.enabled && clg.support.enabled, "strategy.clg.support.budget_usd_per_month",
      clg.support.budget_usd_per_month);
  add(clg.enabled && clg.content.enabled, "strategy.clg.content.budget_usd_per_month",
      clg.content.budget_usd_per_month);
  add(clg.enabled && clg.events.enabled, "strategy.clg.events.budget_usd_per_month",
      clg.events.budget_usd_per_month);
  add(clg.enabled && clg.champions.enabled, "strategy.clg.champions.budget_usd_per_month",
      clg.champions.budget_usd_per_month);
  add(clg.enabled && clg.co_creation.enabled, "strategy.clg.co_creation.budget_usd_per_month",
      clg.co_creation.budget_usd_per_month);
  add(clg.enabled && clg.trust.enabled, "strategy.clg.trust.budget_usd_per_month",
      clg.trust.budget_usd_per_month);
  return out;
}

}  // namespace

void check_targets(const Scenario& s, Warnings& out) {
  for (std::size_t i = 0; i < s.targets.size(); ++i) {
    const Target& t = s.targets[i];
    const std::string path = item_path("targets", i);
    const std::optional<Metric> metric = metric_by_name(t.metric);
    if (!metric) continue;
    const std::string_view unit = metric_infos()[int(*metric)].unit;
    check_money_target(s, t, path, out);
    if (unit == "people" || unit == "accounts") check_count_target(s, t, path, out);
    if (std::find(kShareMetrics.begin(), kShareMetrics.end(), t.metric) != kShareMetrics.end()) {
      check_share_target(t, path, out);
    }
  }
}

void check_schedules(const Scenario& s, Warnings& out) {
  for (const auto& [path, schedule] : schedules(s)) schedule_in_horizon(s, path, *schedule, out);
}

}  // namespace flywheel::warnings
