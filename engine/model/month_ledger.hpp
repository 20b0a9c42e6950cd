// Phase 6: the month's record. Combines the per-block tallies of people and accounts in block
// order after every step (stocks) and at each month end (flows), and writes one MonthRecord.
#pragma once

#include "accounts.hpp"
#include "community.hpp"
#include "flywheel.hpp"
#include "model.hpp"
#include "model_state.hpp"
#include "money.hpp"
#include "month_money.hpp"

#include <flywheel/spec/metrics.hpp>

#include <array>
#include <utility>
#include <vector>

namespace flywheel::model {

class MonthLedger {
 public:
  MonthLedger(const Model& model, const ReplicateState& start);

  std::vector<PeopleTally>& people_blocks() { return people_; }
  std::vector<AccountTally>& account_blocks() { return accounts_; }
  std::vector<CommunityTally>& community_blocks() { return community_; }

  // After each step: the state's stocks from the blocks' per-step counts.
  void end_step(ReplicateState& state) const;
  // At a month's last step: the month's record from the flows, then a fresh month.
  void close_month(const ReplicateState& state, const MonthSpend& spend);

  // After the last step: the cohorts' referral signups into the months whose 12-month window
  // was simulated in full.
  void close_referrals(const ReplicateState& state);

  const std::vector<MonthRecord>& months() const { return months_; }
  std::vector<MonthRecord> take_months() { return std::move(months_); }

 private:
  void start_month(const ReplicateState& state);
  void add_people_flows();
  std::int64_t add_account_flows();
  void close_community(const ReplicateState& state);

  double step_days_;
  double gross_margin_;
  MoneyRules money_;
  std::int64_t signed_up_total_ = 0;  // running totals since month 0
  std::int64_t converted_total_ = 0;
  const Schedule* reps_ = nullptr;  // strategy.slg.reps when the lever is on

  // The sales floor's running totals at the month's start (its flows are cumulative).
  std::int64_t deals_taken_start_ = 0, wait_steps_start_ = 0;
  void close_sales(const ReplicateState& state, std::int64_t cycle_steps);
  std::vector<PeopleTally> people_;
  std::vector<AccountTally> accounts_;
  std::vector<CommunityTally> community_;
  bool community_on_;
  std::int64_t referral_reward_cents_ = 0;  // per accepted referral agent: x agent_scale
  std::int64_t cycle_steps_start_ = 0, cycles_start_ = 0;  // the referral ledger at month start
  void close_referral_month(const ReplicateState& state);
  // Annual cohorts: the last 12 months' (churned, paying at start) and their sums.
  std::array<std::pair<std::int64_t, std::int64_t>, kAnnualMonths> trailing_{};
  std::int64_t churned_t12m_ = 0, paying_start_t12m_ = 0;
  void close_trailing_churn();
  // Member and non-member retention over the last 12 months: per month (user churns, member
  // churns, user half steps, member half steps, each by active stage), and their sums.
  double step_months_;
  std::array<std::array<std::int64_t, 12>, kAnnualMonths> retention_{};
  std::array<std::int64_t, 12> retention_t12m_{};
  void close_trailing_retention();
  MonthRecord current_;
  std::vector<MonthRecord> months_;
};

// Median of a histogram of time-to-value steps, in days (bin k = activation k steps after the
// signup step: k steps, a quarter step for k = 0). nullopt when empty.
std::optional<double> median_ttv_days(const std::array<std::int64_t, kTtvBins>& steps,
                                      double step_days);

}  // namespace flywheel::model
