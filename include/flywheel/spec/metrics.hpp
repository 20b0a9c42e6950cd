// Monthly metrics of one replicate: the exact integer record the engine keeps (MonthRecord) and
// the reported figures derived from it (docs/metrics.md), scaled back by agent_scale.
#pragma once

#include <flywheel/spec/channels.hpp>
#include <flywheel/spec/scenario.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel {

// Exact counts of one month of one replicate, in simulated units (agents, accounts, cents):
// stocks at the end of the month, flows during it. Money identity (checked by tests):
// mrr_end = mrr_start + new + expansion + reactivation - contraction - churned.
struct MonthRecord {
  // stocks at month end
  std::array<std::int64_t, kStageCount> users_by_stage{};
  std::int64_t active_users = 0;
  std::int64_t accounts_paying = 0;
  std::int64_t accounts_free_active = 0;  // not paying, >= 1 active user
  std::int64_t pqls = 0;                  // not paying and meeting the PQL rule
  // stocks at month start (end of the previous month)
  std::int64_t active_users_start = 0;
  std::int64_t accounts_paying_start = 0;
  // flows during the month, by channel
  std::array<std::int64_t, kChannelCount> awareness_by_channel{};
  std::array<std::int64_t, kChannelCount> signups_by_channel{};
  std::array<std::int64_t, kChannelCount> accounts_new_by_channel{};  // by the account's origin
  // flows during the month, one per line of the counters tables: the sums of the phases' tallies
#define FLYWHEEL_COUNTER(name) std::int64_t name = 0;
#include <flywheel/spec/counters_accounts.inc>
#include <flywheel/spec/counters_community.inc>
#include <flywheel/spec/counters_people.inc>
#undef FLYWHEEL_COUNTER
  std::array<std::int64_t, kStageCount> churn_by_stage{};  // hazard churn, by stage left
  // stocks: running totals since month 0
  std::int64_t accounts_signed_up_total = 0;  // accounts that ever had a signup
  std::int64_t accounts_converted_total = 0;  // accounts that ever paid
  // money, cents
  std::int64_t mrr_start_cents = 0;
  std::int64_t mrr_end_cents = 0;
  // spend by lever, real (not a sample): never scaled
  std::int64_t spend_marketing_cents = 0;
  std::int64_t spend_sales_cents = 0;
  std::int64_t spend_community_cents = 0;
  std::int64_t spend_product_cents = 0;
  std::int64_t spend_referral_cents = 0;  // rewards: referral signups x agent_scale x reward
  double content_pieces_planned = 0.0;    // the company's planned content pieces (real)
  double gross_margin = 1.0;              // economics.gross_margin, for profit, payback and LTV
  // --- operating costs, cash and trailing windows (engine/model/month_money.cpp). Real money:
  // revenue scaled back by agent_scale, cents, exact integer sums.
  std::int64_t spend_ga_cents = 0;           // G&A (real, never scaled)
  std::int64_t spend_acquisition_cents = 0;  // CAC's spend: marketing + sales + referral +
                                             // community x acquisition share
  std::int64_t revenue_cents = 0;            // mrr_end x agent_scale: the month's revenue
  std::int64_t cogs_hosting_cents = 0;       // active users x agent_scale x hosting cost
  std::int64_t gross_profit_cents = 0;       // round(revenue x gross_margin) - hosting
  std::int64_t net_burn_cents = 0;           // all spend - gross profit (> 0: losing money)
  // running totals since month 0
  std::int64_t spend_cumulative_cents = 0;  // all spend (opex), hosting excluded
  std::int64_t gross_profit_cumulative_cents = 0;
  std::int64_t cash_cents = 0;  // economics.starting_cash - cumulative net burn
  // The trailing quarter: this month and the two before (fewer in months 1-2).
  std::int64_t acquisition_quarter_cents = 0;
  std::int64_t accounts_new_quarter = 0;   // simulated accounts
  std::int64_t mrr_new_quarter_cents = 0;  // real (scaled back)
  std::int64_t gross_profit_quarter_cents = 0;
  std::int64_t revenue_quarter_cents = 0;
  std::int64_t net_burn_quarter_cents = 0;
  std::int64_t net_new_mrr_quarter_cents = 0;  // real: MRR end - MRR at the quarter's start
  // The trailing year (12 months), once 12 months are simulated.
  std::optional<std::int64_t> mrr_year_ago_cents;  // simulated: MRR 12 months before month end
  std::optional<std::int64_t> net_burn_year_cents;
  std::optional<std::int64_t> revenue_year_cents;
  // --- sales-led (SLG)
  double sales_reps = 0;                   // strategy.slg.reps in force (real, never scaled)
  std::int64_t deals_taken = 0;            // deals a rep took this month
  std::int64_t sales_queue_length = 0;     // SQLs waiting for a rep (month end)
  std::int64_t sales_pipeline = 0;         // deals reps work (month end)
  std::optional<double> sales_wait_days;   // mean wait of the deals taken this month
  std::optional<double> sales_cycle_days;  // mean cycle (taken to close) of deals closed
  // --- community-led (CLG)
  std::array<std::int64_t, kEngagementLevels> members_by_level{};  // month end; [0] unused
  std::array<std::int64_t, kMotives> members_by_motive{};          // month end (Motive order)
  std::int64_t askers_waiting = 0;  // members still waiting for an answer, month end
  std::int64_t member_users = 0;               // members who are active users, month end
  std::int64_t active_member_users = 0;        // active members who are active users, month end
  std::int64_t active_member_users_start = 0;  // the same at month start
  double product_quality = 0.0;                // co-creation index in [0, 1], month end
  // Member and non-member retention: a step in months (exposures are counted in half steps,
  // user_halfsteps and member_user_halfsteps); the trailing window of up to 12 months ending
  // with this one (months_t12m long), by active stage ([0] beginner, [1] regular, [2]
  // champion): hazard churns of active users, of those who were active members, and the two
  // exposures in half steps.
  double step_months = 0.0;
  std::array<std::int64_t, 3> user_churns_t12m{}, member_churns_t12m{};
  std::array<std::int64_t, 3> user_halfsteps_t12m{}, member_user_halfsteps_t12m{};
  // --- referrals
  std::optional<double> referral_cycle_days;  // mean days, referrer's signup to referred's
  // Referral signups caused within kCohortMonths (12) by the people who signed up this month;
  // nullopt when those months are not all simulated (or referrals are off).
  std::optional<std::int64_t> cohort_referral_signups;
  // time to value of this month's activations, days (NaN-free: nullopt when none)
  std::optional<double> median_ttv_days;
  // --- annual cohorts (engine/model/annual_cohorts.hpp); the counters are in the table above
  bool annual_lookback = false;  // month 12 months back is simulated (month index >= 11)
  // Trailing window of up to 12 months ending with this one (fewer at the start): accounts
  // churned and accounts paying at each month's start, summed; its length in months.
  std::int64_t churned_t12m = 0;
  std::int64_t paying_start_t12m = 0;
  int months_t12m = 0;
  // The retention triangle's row for this month end: [c] = accounts paying by first-paid month
  // c, active users by signup month c (c = 0..this month).
  std::vector<std::int64_t> accounts_paying_by_cohort;
  std::vector<std::int64_t> users_active_by_cohort;

  bool operator==(const MonthRecord&) const = default;
};

// The reported metrics, in column order of the outputs.
enum class Metric : int {
#define FLYWHEEL_METRIC(id, unit, meaning) id,
#define FLYWHEEL_COUNT FLYWHEEL_METRIC
#include <flywheel/spec/metric_list.inc>
#undef FLYWHEEL_COUNT
#undef FLYWHEEL_METRIC
  count_
};
inline constexpr int kMetricCount = static_cast<int>(Metric::count_);

struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
};
const std::array<MetricInfo, kMetricCount>& metric_infos();
std::optional<Metric> metric_by_name(std::string_view name);
inline std::string_view metric_name(Metric m) {
  return metric_infos()[static_cast<int>(m)].name;
}

// The metric reference (name, unit, meaning) as Markdown; docs/metrics.md is this text.
std::string metrics_reference_markdown();

// Reported values of one month; NaN where undefined (a ratio over zero). `agent_scale` is what
// one simulated unit stands for: the agent model's simulation.agent_scale, or 1 / kMicro for
// the mean-field twin's fixed-point records (include/flywheel/meanfield/expect.hpp).
using MetricValues = std::array<double, kMetricCount>;
MetricValues derive_metrics(const MonthRecord& r, double agent_scale);

}  // namespace flywheel
