#include "month_ledger.hpp"

#include "kernels/parallel_blocks.hpp"
#include "month_money.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace flywheel::model {

MonthLedger::MonthLedger(const Model& model, const ReplicateState& start)
    : step_days_(model.time.step_days()),
      gross_margin_(model.scenario.economics.gross_margin),
      money_(money_rules(model.scenario)),
      people_(block_count(start.people.size(), kPeopleBlock)),
      accounts_(block_count(start.accounts.size(), kAccountBlock)),
      community_(block_count(start.people.size(), kPeopleBlock)),
      community_on_(model.scenario.strategy.clg.enabled),
      step_months_(model.time.step_months()) {
  months_.reserve(model.time.months());
  if (model.scenario.strategy.slg.enabled) reps_ = &model.scenario.strategy.slg.reps;
  const ReferralSpec& referrals = model.scenario.strategy.referrals;
  if (referrals.enabled) {
    referral_reward_cents_ = std::llround(referrals.reward_usd * 100.0) *
                             static_cast<std::int64_t>(model.scenario.simulation.agent_scale);
  }
  start_month(start);
}

void MonthLedger::start_month(const ReplicateState& state) {
  current_ = MonthRecord{};
  current_.mrr_start_cents = state.mrr_cents;
  current_.accounts_paying_start = state.accounts_paying;
  current_.active_member_users_start = state.community.active_member_users;
  deals_taken_start_ = state.sales.deals_taken;
  wait_steps_start_ = state.sales.wait_steps;
  cycle_steps_start_ = state.referrals.cycle_steps;
  cycles_start_ = state.referrals.cycles;
  for (int s = 0; s < kStageCount; ++s) {
    if (is_active(static_cast<Stage>(s))) current_.active_users_start += state.stage_counts[s];
  }
}

void MonthLedger::end_step(ReplicateState& state) const {
  for (const PeopleTally& t : people_) {
    for (int s = 0; s < kStageCount; ++s) state.stage_counts[s] += t.stage_change[s];
  }
  state.mrr_cents = state.accounts_paying = state.accounts_free_active = state.pqls = 0;
  for (const AccountTally& t : accounts_) {
    for (int s = 0; s < kStageCount; ++s) state.stage_counts[s] += t.stage_change[s];
    state.mrr_cents += t.mrr_end;
    state.accounts_paying += t.paying;
    state.accounts_free_active += t.free_active;
    state.pqls += t.pqls;
  }
  if (!community_on_) return;
  CommunityState& c = state.community;
  c.members_by_level = {};
  c.askers = c.champion_members = c.beginner_members = c.pieces_step = 0;
  c.member_users = c.active_member_users = 0;
  c.members_by_motive = c.contributors_by_motive = {};
  c.play_sources = c.play_champion_members = 0;
  for (const CommunityTally& t : community_) {
    for (int l = 1; l < kEngagementLevels; ++l) c.members_by_level[l] += t.members_by_level[l];
    for (int m = 0; m < kMotives; ++m) {
      c.members_by_motive[m] += t.members_by_motive[m];
      c.contributors_by_motive[m] += t.contributors_by_motive[m];
    }
    c.play_sources += t.play_sources;
    c.play_champion_members += t.play_champion_members;
    c.askers += t.askers;
    c.champion_members += t.champion_members;
    c.beginner_members += t.beginner_members;
    c.pieces_step += t.pieces_step;
    c.member_users += t.member_users;
    c.active_member_users += t.active_member_users;
  }
}

void MonthLedger::close_community(const ReplicateState& state) {
  MonthRecord& r = current_;
  r.members_by_level = state.community.members_by_level;
  r.members_by_motive = state.community.members_by_motive;
  r.askers_waiting = state.community.askers;
  r.member_users = state.community.member_users;
  r.active_member_users = state.community.active_member_users;
  r.product_quality = state.community.product_quality;
  for (CommunityTally& t : community_) {
#define FLYWHEEL_COUNTER(name) r.name += t.name;
#include <flywheel/spec/counters_community.inc>
#undef FLYWHEEL_COUNTER
    t = CommunityTally{};
  }
}

// The sales floor's stocks and the month's means, from the serial pass's running totals.
void MonthLedger::close_sales(const ReplicateState& state, std::int64_t cycle_steps) {
  MonthRecord& r = current_;
  const SalesFloor& floor = state.sales;
  r.sales_reps = reps_ != nullptr ? reps_->at(static_cast<int>(months_.size())) : 0.0;
  r.sales_queue_length = static_cast<std::int64_t>(floor.queue.size() + floor.pql_queue.size());
  r.sales_pipeline = floor.working;
  r.deals_taken = floor.deals_taken - deals_taken_start_;
  if (r.deals_taken > 0) {
    r.sales_wait_days = static_cast<double>(floor.wait_steps - wait_steps_start_) * step_days_ /
                        static_cast<double>(r.deals_taken);
  }
  const std::int64_t closed = r.deals_won + r.deals_lost;
  if (closed > 0) {
    r.sales_cycle_days =
        static_cast<double>(cycle_steps) * step_days_ / static_cast<double>(closed);
  }
}

// Reward spend (real money) and the mean viral cycle time of the month's referral signups.
void MonthLedger::close_referral_month(const ReplicateState& state) {
  MonthRecord& r = current_;
  r.spend_referral_cents =
      r.signups_by_channel[static_cast<int>(Channel::referral)] * referral_reward_cents_;
  const std::int64_t cycles = state.referrals.cycles - cycles_start_;
  if (cycles > 0) {
    r.referral_cycle_days = static_cast<double>(state.referrals.cycle_steps - cycle_steps_start_) *
                            step_days_ / static_cast<double>(cycles);
  }
}

void MonthLedger::close_referrals(const ReplicateState& state) {
  const std::vector<std::int64_t>& cohorts = state.referrals.cohort_referrals;
  for (std::size_t m = 0; m < cohorts.size() && m + kCohortMonths <= months_.size(); ++m) {
    months_[m].cohort_referral_signups = cohorts[m];
  }
}

std::optional<double> median_ttv_days(const std::array<std::int64_t, kTtvBins>& steps,
                                      double step_days) {
  const std::int64_t n = std::accumulate(steps.begin(), steps.end(), std::int64_t{0});
  if (n == 0) return std::nullopt;
  // Signups and activations fall, on average, at the middle of their steps: k steps apart is
  // k steps, and an activation in the signup step comes a quarter step after it (in the half
  // step left).
  auto days = [&](int k) { return (k == 0 ? 0.25 : k) * step_days; };
  // The lower and upper middle order statistics (equal when n is odd).
  auto order_statistic = [&](std::int64_t rank) {
    std::int64_t seen = 0;
    for (int k = 0; k < kTtvBins; ++k) {
      seen += steps[k];
      if (seen > rank) return days(k);
    }
    return days(kTtvBins - 1);
  };
  return 0.5 * (order_statistic((n - 1) / 2) + order_statistic(n / 2));
}

// The month's people flows, summed over the blocks in block order.
void MonthLedger::add_people_flows() {
  MonthRecord& r = current_;
  std::array<std::int64_t, kTtvBins> ttv{};
  for (PeopleTally& t : people_) {
    for (int c = 0; c < kChannelCount; ++c) {
      r.awareness_by_channel[c] += t.awareness[c];
      r.signups_by_channel[c] += t.signups[c];
    }
    for (int s = 0; s < kStageCount; ++s) r.churn_by_stage[s] += t.churn[s];
    for (std::size_t k = 0; k < t.ttv_steps.size(); ++k) ttv[k] += t.ttv_steps[k];
#define FLYWHEEL_COUNTER(name) r.name += t.name;
#include <flywheel/spec/counters_people.inc>
#undef FLYWHEEL_COUNTER
    t = PeopleTally{};
  }
  r.median_ttv_days = median_ttv_days(ttv, step_days_);
}

namespace {

// Adds a block's counts by cohort month to the month's.
void add_cohorts(const std::vector<std::int64_t>& block, std::vector<std::int64_t>& month) {
  if (month.size() < block.size()) month.resize(block.size(), 0);
  for (std::size_t c = 0; c < block.size(); ++c) month[c] += block[c];
}

}  // namespace

// The trailing window of up to 12 months of logo churn: this month in, the month 12 back out.
void MonthLedger::close_trailing_churn() {
  MonthRecord& r = current_;
  const std::size_t slot = months_.size() % kAnnualMonths;
  const auto [churned_out, paying_out] = trailing_[slot];
  churned_t12m_ += r.accounts_churned - churned_out;
  paying_start_t12m_ += r.accounts_paying_start - paying_out;
  trailing_[slot] = {r.accounts_churned, r.accounts_paying_start};
  r.churned_t12m = churned_t12m_;
  r.paying_start_t12m = paying_start_t12m_;
  r.months_t12m = std::min(static_cast<int>(months_.size()) + 1, kAnnualMonths);
  r.annual_lookback = months_.size() + 1 >= static_cast<std::size_t>(kAnnualMonths);
}

// The trailing window of member and non-member retention: this month in, the month 12 back out.
void MonthLedger::close_trailing_retention() {
  MonthRecord& r = current_;
  // By active stage: beginners, regulars (the rest of the active users), champions.
  auto by_stage = [](std::int64_t all, std::int64_t beginners, std::int64_t champions) {
    return std::array<std::int64_t, 3>{beginners, all - beginners - champions, champions};
  };
  const auto& churn = r.churn_by_stage;
  const std::int64_t b = churn[static_cast<int>(Stage::beginner)];
  const std::int64_t c = churn[static_cast<int>(Stage::champion)];
  const std::array<std::array<std::int64_t, 3>, 4> month = {
      by_stage(b + churn[static_cast<int>(Stage::regular)] + c, b, c),
      by_stage(r.member_churns, r.member_beginner_churns, r.member_champion_churns),
      by_stage(r.user_halfsteps, r.beginner_halfsteps, r.champion_halfsteps),
      by_stage(r.member_user_halfsteps, r.member_beginner_halfsteps, r.member_champion_halfsteps)};
  auto& slot = retention_[months_.size() % kAnnualMonths];
  for (std::size_t i = 0; i < slot.size(); ++i) {
    const std::int64_t now = month[i / 3][i % 3];
    retention_t12m_[i] += now - slot[i];
    slot[i] = now;
  }
  r.step_months = step_months_;
  for (std::size_t s = 0; s < 3; ++s) {
    r.user_churns_t12m[s] = retention_t12m_[s];
    r.member_churns_t12m[s] = retention_t12m_[3 + s];
    r.user_halfsteps_t12m[s] = retention_t12m_[6 + s];
    r.member_user_halfsteps_t12m[s] = retention_t12m_[9 + s];
  }
}

// The month's account flows (PLG, money movements, sales), summed in block order; returns the
// sales cycle steps of the deals closed.
std::int64_t MonthLedger::add_account_flows() {
  MonthRecord& r = current_;
  std::int64_t cycle_steps = 0;
  for (AccountTally& t : accounts_) {
#define FLYWHEEL_COUNTER(name) r.name += t.name;
#include <flywheel/spec/counters_accounts.inc>
#undef FLYWHEEL_COUNTER
    for (int c = 0; c < kChannelCount; ++c) r.accounts_new_by_channel[c] += t.new_by_channel[c];
    r.awareness_by_channel[static_cast<int>(Channel::sales)] += t.aware_sales;
    r.signups_by_channel[static_cast<int>(Channel::team)] += t.signups_team;
    signed_up_total_ += t.first_signups;
    converted_total_ += t.accounts_new;
    cycle_steps += t.cycle_steps;
    add_cohorts(t.accounts_paying_by_cohort, r.accounts_paying_by_cohort);
    add_cohorts(t.users_active_by_cohort, r.users_active_by_cohort);
    t = AccountTally{};
  }
  r.accounts_signed_up_total = signed_up_total_;
  r.accounts_converted_total = converted_total_;
  return cycle_steps;
}

void MonthLedger::close_month(const ReplicateState& state, const MonthSpend& spend) {
  MonthRecord& r = current_;
  r.users_by_stage = state.stage_counts;
  for (int s = 0; s < kStageCount; ++s) {
    if (is_active(static_cast<Stage>(s))) r.active_users += state.stage_counts[s];
  }
  add_people_flows();
  close_community(state);
  close_sales(state, add_account_flows());
  r.accounts_paying = state.accounts_paying;
  r.accounts_free_active = state.accounts_free_active;
  r.pqls = state.pqls;
  r.mrr_end_cents = state.mrr_cents;
  r.spend_marketing_cents = spend.marketing_cents;
  r.spend_sales_cents = spend.sales_cents;
  r.spend_community_cents = spend.community_cents;
  r.content_pieces_planned = spend.content_pieces_planned;
  r.spend_product_cents = spend.product_cents;
  r.gross_margin = gross_margin_;
  close_referral_month(state);
  close_money(r, spend, months_, money_);
  close_trailing_churn();
  close_trailing_retention();
  months_.push_back(r);
  start_month(state);
}

}  // namespace flywheel::model
