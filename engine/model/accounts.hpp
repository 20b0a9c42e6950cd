// Phase 3: accounts, in this order for each account: trial (trial.hpp); with a free tier, the
// PQL rule and self-serve conversion (PQLs at their own rate); a paid account bills
// max(min_seats, active users) seats at its segment's price x its plan tier's multiplier, so
// seats follow active users (expansion, contraction), moves between tiers (plan_tiers.hpp) and
// cancels when no active user remains or by voluntary cancellation. An account that has no
// access (no free tier, not paying, no trial) cannot keep active users: they churn.
// MRR movements are classified per account and step from its MRR before and after, so
//   MRR_end = MRR_start + new + expansion + reactivation - contraction - churned
// holds exactly in cents.
#pragma once

#include "model.hpp"
#include "model_state.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace flywheel::model {

// Counts of one block of accounts: stocks per step, flows accumulated over a month.
struct AccountTally {
  // the month's flows, one per line of counters_accounts.inc (summed into MonthRecord)
#define FLYWHEEL_COUNTER(name) std::int64_t name = 0;
#include <flywheel/spec/counters_accounts.inc>
#undef FLYWHEEL_COUNTER
  std::array<std::int64_t, kChannelCount> new_by_channel{};  // accounts_new by origin
  std::int64_t first_signups = 0;  // accounts whose first person signed up (a running total)
  std::int64_t cycle_steps = 0;    // sales cycles of the deals closed (a mean's numerator)
  std::int64_t aware_sales = 0;    // people made aware by outbound outreach
  std::int64_t signups_team = 0;   // people signed up by a teammate's invite (teammates.hpp)
  // stocks after the step
  std::int64_t paying = 0, free_active = 0, pqls = 0;
  std::int64_t mrr_end = 0;    // MRR of the block's accounts after the step
  StageCounts stage_change{};  // this step: people moved by account decisions (access lost)
  // sales-led (SLG), sales.hpp. Per step: deals closed, new SQLs in account
  // order (the serial pass queues them and clears the lists, keeping their capacity).
  std::int64_t deals_closed_step = 0;
  std::vector<std::uint32_t> new_sqls, new_pql_sqls;
  // Month close (annual_cohorts.hpp): [c] = accounts paying by first-paid month c, active users
  // by signup month c, at the month's end.
  std::vector<std::int64_t> accounts_paying_by_cohort, users_active_by_cohort;
};

void advance_accounts(const Model& model, ReplicateState& state, int step, int month,
                      std::vector<AccountTally>& blocks);

}  // namespace flywheel::model
