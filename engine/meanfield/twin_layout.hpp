// The twin's vocabulary (docs/mean_field.md): the constants its mechanisms share ("at once",
// the annual tags, the activation window's bins, the Erlang phases), the names of its plans,
// people's compartments, groups and month's flows, the People view of one block's compartments,
// and the month's rates of people and of the sales floor. Twin (twin.hpp) lays the state out
// in these terms; every flow file reads them.
#pragma once

#include <flywheel/spec/metrics.hpp>

#include <array>
#include <cassert>
#include <cstddef>
#include <vector>

namespace flywheel::meanfield {

// A hazard of one a day: "at once" against monthly rates. Rates that would otherwise grow
// without bound (reach spread over the last few unaware people, a probability of 1) are capped
// here, as a step's probability is at 1 in the agent model.
inline constexpr double kAtOnce = 30.4375;

// Tagged copies of the paying accounts for the annual cohort metrics: one per month end of the
// trailing year.
inline constexpr int kAnnualTags = 12;

// An account's plan in the twin. Untouched accounts have had no signup yet: their people are
// independent (unaware or aware), which makes the moment of an account's first signup exact.
// Mechanisms with plans of their own (trials, the sales funnel, contracts) register them in
// Twin's constructor (add_plans); the self-serve paid tiers come last (Twin::paid0 + tier).
// Prospects whose first signer has activated are *engaged*: their other people are where the
// account's invites and team grow, so the closure keeps them apart from the others'.
enum PlanMode : int {
  kUntouched = 0,
  kProspect = 1,
  kCancelled = 2,
  kEngaged = 3,
  kFirstExtraPlan = 4
};

// Evaluators by age: the activation window of W days as a conveyor of age bins that shift a
// whole number of times a month (so that every month holds the same shifts), a cohort leaving in
// two portions timed so that it drops out at age W on average (docs/mean_field.md "Activation
// window"). At most kWindowBins bins. Windows of 0.9 to 1 month are split at month ends instead
// (window_split.cpp): bin 0 the month's signups, bin 1 last month's, dropping out as a flow.
inline constexpr int kWindowBins = 8;
// The shortest window split at month ends, in months: its early signups drop out at most this
// much less than a month before their time.
inline constexpr double kWindowSplitShortest = 0.9;
// Trials of D days, sales cycles and contract terms as Erlang delays of this many phases of
// equal mean length (docs/mean_field.md "Trials and sales").
inline constexpr int kTrialPhases = 3;
inline constexpr int kCyclePhases = 3;
inline constexpr int kTermPhases = 3;

// People's compartments, in expected real people. A (size class, plan) block holds them twice,
// for each account's first signer and for its other people (Group), then its accounts and seats.
enum Compartment : int {
  cUnaware = 0,
  cAware = 1,                          // + channel: aware people by the channel that reached them
  cEvaluator = cAware + kChannelCount,  // + phase
  cBeginner = cEvaluator + kWindowBins,
  cRegular,
  cChampion,
  cChurnedNever,  // churned (or dropped out) without ever activating: come back as evaluators
  cChurnedEver,   // churned after activating: come back as beginners
  // The window split at month ends (window_split.cpp) keeps three rows that are not people:
  cWinToMonthEnd,  // bin 0's evaluators' total time to the month's end, in months
  cWinMass,        // bin 1's people before any window dropout (decaying at evaluators' hazards)
  cWinMoment,      // their total phase of dropping out within this month, in [0, cWinMass]
  kPersonCompartments
};

// An account's first signer and its other people, each independent given the account's class
// and plan (docs/mean_field.md "Accounts": the closure). Untouched accounts have only others.
enum Group : int { kFirst = 0, kRest = 1 };

// One (size class, plan, group)'s people by compartment: the state keeps each compartment's
// people of every size class side by side (a row), so that a block's compartments are a row
// apart (Twin's layout). Only the compartments the scenario can fill are stored.
template <class T>
class People {
 public:
  People(T* at, const int* row, std::size_t stride) : at_(at), row_(row), stride_(stride) {}
  T& operator[](int c) const {
    assert(row_[c] >= 0);  // a compartment this scenario does not store is always empty
    return at_[static_cast<std::size_t>(row_[c]) * stride_];
  }

 private:
  T* at_;
  const int* row_;
  std::size_t stride_;
};

inline bool is_active_compartment(int c) {
  return c == cBeginner || c == cRegular || c == cChampion;
}

// The month's flows, integrated with the state and cleared at each month's start.
enum Flow : int {
#define FLYWHEEL_COUNTER(name) f_##name,
#include <flywheel/spec/counters_accounts.inc>
#include <flywheel/spec/counters_community.inc>
#include <flywheel/spec/counters_people.inc>
#undef FLYWHEEL_COUNTER
  f_first_signups,                               // accounts with their first signup
  f_awareness,                                   // + channel
  f_signups = f_awareness + kChannelCount,       // + channel
  f_accounts_new_by = f_signups + kChannelCount,  // + channel (the account's origin)
  f_churn_by_stage = f_accounts_new_by + kChannelCount,  // + stage
  f_deals_taken = f_churn_by_stage + kStageCount,  // deals reps took
  f_queue_months,                                  // integral of the sales queue (Little)
  f_cycle_days_closed,                             // deals closed x their mean cycle (days)
  kFlows
};

// This month's rates per month (hazards), from the scenario's levers in force.
struct MonthRates {
  double signup = 0, forget = 0, activation = 0, adoption = 0, advocacy = 0, reactivation = 0;
  std::array<double, kStageCount> churn{};
  double paid_churn = 1.0;
  double innovation = 0, imitation = 0, paid_bought = 0;  // paid: aware people bought a month
  std::array<bool, kStageCount> source{};                // word-of-mouth source stages
  double referral_regular = 0, referral_champion = 0, referral_accept = 0;
  double teammate_invites = 0;
  double team_adoption_lift = 0, team_churn_reduction = 0;
  // self-serve (strategy.plg with a free tier)
  bool self_serve = false;
  double free_conversion = 0, pql_conversion = 0;
  int pql_min_active = 1, min_seats = 1;
  double seat_add = 0, seat_removal = 0;  // rates; both infinite-like when the policy is "at once"
  double upgrade = 0, downgrade = 0;
  std::vector<double> cancel;  // per segment
};

// This month's sales floor (strategy.slg), in real accounts (sales_flows.cpp).
struct SalesMonth {
  bool on = false;
  double reps = 0, capacity = 0, outbound = 0;  // deals at once; outbound leads a month
};

}  // namespace flywheel::meanfield
