// The twin's state and its right-hand side: expected people by stage in accounts by size class
// and plan, expected accounts and seats, and the month's flows as integrals
// (docs/mean_field.md); its vocabulary (plans, compartments, flows, the month's rates) is in
// twin_layout.hpp. Each mechanism adds its flows to dy in a file of its own:
//   people_flows.cpp   channels' hazards, teammate invites, team effects; each (plan, group)'s
//                      sweep through the stages (people_sweep.hpp):
//     people_signups.cpp awareness, signups, an untouched account's first signup
//     people_stages.cpp  evaluators, active users (adoption, advocacy, churn, reactivation),
//                        their seat changes, exposure
//   activation_window.cpp  the window's conveyor of evaluators by age: its bins, its shift
//   window_split.cpp   windows of 0.9-1 month split at month ends, the dropouts a flow
//   account_flows.cpp  self-serve conversion (PQLs), seats, plan tiers, cancellation, MRR
//   trial_flows.cpp    trials: an Erlang chain of phases, conversion or expiry at its end
//   sales_flows.cpp    the sales funnel: leads, qualification, the reps' queue, the cycle
//   contract_flows.cpp contracts won by sales: term, renewal, ramps, onboarding
//   invite_laws.cpp    teammate invites: each account's law of active users, a master equation
//   twin_ledger.cpp    the month's MonthRecord from the state and the flows
//   community_block.hpp  the community (strategy.clg): a market-level block after the origins
#pragma once

#include "binomial.hpp"
#include "community_block.hpp"
#include "invite_laws.hpp"
#include "size_classes.hpp"
#include "twin_layout.hpp"

#include "model/model.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/spec/metrics.hpp>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <vector>

namespace flywheel::meanfield {

using State = std::vector<double>;

struct Twin {
  explicit Twin(const Scenario& scenario);

  const Scenario& scenario;
  model::Model model;  // the agent model's compiled numbers: prices, windows, spend
  std::vector<SizeClass> classes;
  int tiers = 1;
  int plans = kFirstExtraPlan;  // all plans, the paid tiers included
  int paid0 = kFirstExtraPlan;  // the first paid tier's plan
  std::size_t flows_at = 0;    // index of the first flow in the state
  std::size_t origins_at = 0;  // signups by channel since the start (never cleared)
  std::size_t community_at = 0;  // the community block (community_block.hpp), if any
  bool has_community = false;
  int largest_class = 1;  // the largest account size of the classes
  CommunityRates community;  // of the month being integrated
  double people_total = 0.0;
  MonthRates rates;  // of the month being integrated
  // The activation window's conveyor (Twin::shift_window): shifts per month (0: no window, every
  // evaluator stays in bin 0); at the shift that makes a cohort window_drop shifts old it loses
  // window_early of itself, at the next the rest.
  int window_shifts = 0;
  int window_drop = 1;
  double window_early = 1.0;
  // Or the window split at month ends (window_split.cpp), for windows of 0.9 to 1 month: one
  // shift a month at its end, where the month's signups that entered before phase
  // window_split = 1 - W drop out and the others drop out over the next month.
  bool window_split_monthly = false;
  double window_split = 0.0;
  int current_month = 0;            // the month being integrated (set_month)
  mutable double month_phase = 0.0;  // of the instant being evaluated, in [0, 1] (rhs)
  mutable std::size_t evaluations = 0;
  // Each block's head count at the state being evaluated (Twin::rhs fills it first).
  mutable std::vector<HeadCount> heads;
  const HeadCount& head(std::size_t k, int plan) const {
    return heads[k * static_cast<std::size_t>(plans) + static_cast<std::size_t>(plan)];
  }
  // Each block's people per group, active and not (j = 0: kFirst active, 1: kFirst other, 2:
  // kRest active, 3: kRest other), at the state being evaluated (Twin::rhs fills it first): what
  // move_accounts splits a move by. A row of classes per (plan, j).
  mutable std::vector<double> pools;
  double pool(std::size_t k, int plan, int j) const {
    return pools[static_cast<std::size_t>(plan * 4 + j) * lanes + k];
  }
  // Each block's people becoming active users (j = group) and ceasing to be (j = 2 + group), a
  // month, at the state being evaluated (people_stages.cpp fills it): the accounts' seat movements
  // follow them (account_flows.cpp). A row of classes per (plan, j).
  mutable std::vector<double> active_changes;
  double* changes_row(int plan, int j) const {
    return active_changes.data() + static_cast<std::size_t>(plan * 4 + j) * lanes;
  }
  double active_change(std::size_t k, int plan, int j) const { return changes_row(plan, j)[k]; }
  // Self-serve conversion hazards and seats by an account's active users, at the evaluation
  // (account_flows.cpp).
  mutable std::vector<double> conversion_hazard, conversion_seats;
  // The month and conversion multiplier the table is of (-1: of this evaluation only).
  mutable int conversion_month = -1;
  mutable double conversion_factor = 0.0;
  // A paying block's seat reviews by head count (account_flows.cpp): room for their sweep.
  mutable std::vector<double> review_scratch;
  // An active user's team-effect multipliers of adoption and churn by its active teammates
  // a = 0 .. n - 1, of this month (team_effects.hpp): class k's from team_at[k].
  std::vector<double> team_adoption, team_churn;
  std::vector<std::size_t> team_at;
  // Class sizes as numbers, a row (padding classes: 1).
  std::vector<double> sizes;
  // Rows of scratch space for the flows' sweeps over classes.
  static constexpr std::size_t kScratchRows = 24;
  mutable std::vector<double> scratch;
  double* scratch_row(int i) const { return scratch.data() + static_cast<std::size_t>(i) * lanes; }
  SalesMonth sales;  // of the month being integrated
  // Plans of trials and sales (-1: mechanism off), registered before the paid tiers.
  int trial0 = -1;                                             // kTrialPhases phases
  int queue_plan = -1, work0 = -1, cool_plan = -1, contract0 = -1;  // work: kCyclePhases,
                                                                    // contract: kTermPhases
  int first_signup_plan = kProspect;  // where an untouched account's first signup moves it
  std::size_t ramp_at = 0;  // per size class: contract seats still to ramp up (sales)
  // Signups per (size class, plan) at the instant, written by people_signups.cpp for the inbound
  // leads of the sales funnel (empty without sales).
  mutable std::vector<double> block_signups;

  // The state's layout: rows of `lanes` numbers, one per size class (padded with empty
  // classes to a multiple of kLanes). First each (plan, group)'s stored compartments, then the
  // accounts of each plan, then the seats of each plan; then the flows and the blocks after them.
  // Compartments no mechanism of the scenario can fill are not stored: aware people of channels
  // that make nobody aware (referral, team; community and sales when off) and the window's bins
  // past its dropout. row[c] is compartment c's row in a group (-1: not stored), compartments
  // the stored ones in order, aware_channels the channels with an aware compartment.
  static constexpr std::size_t kLanes = 4;
  std::size_t lanes = 0;
  int rows = 0;
  std::array<int, kPersonCompartments> row{};
  std::vector<int> compartments;
  std::vector<int> aware_channels;
  int bins = 1;  // evaluators' bins stored: cEvaluator .. cEvaluator + bins - 1
  // The first people_rows rows hold people (the window split's rows after them do not): each
  // one's Stage and whether its people are active users.
  int people_rows = 0;
  std::vector<int> row_stage;
  std::vector<bool> row_active;
  bool stored(int c) const { return row[static_cast<std::size_t>(c)] >= 0; }
  // Where row r of (plan, group) starts.
  std::size_t row_at(int plan, int group, int r) const {
    return (static_cast<std::size_t>(plan * 2 + group) * static_cast<std::size_t>(rows) +
            static_cast<std::size_t>(r)) *
           lanes;
  }
  std::size_t person(std::size_t k, int plan, int group, int c) const {
    assert(stored(c));
    return row_at(plan, group, row[static_cast<std::size_t>(c)]) + k;
  }
  // Compartment c's row of (plan, group): its people in every class.
  const double* row_of(const State& y, int plan, int group, int c) const {
    return y.data() + row_at(plan, group, row[static_cast<std::size_t>(c)]);
  }
  double* row_of(State& y, int plan, int group, int c) const {
    return y.data() + row_at(plan, group, row[static_cast<std::size_t>(c)]);
  }
  People<const double> people(const State& y, std::size_t k, int plan, int group) const {
    return {y.data() + row_at(plan, group, 0) + k, row.data(), lanes};
  }
  People<double> people(State& y, std::size_t k, int plan, int group) const {
    return {y.data() + row_at(plan, group, 0) + k, row.data(), lanes};
  }
  std::size_t accounts_row(int plan) const {
    return (static_cast<std::size_t>(plans) * 2 * static_cast<std::size_t>(rows) +
            static_cast<std::size_t>(plan)) *
           lanes;
  }
  std::size_t seats_row(int plan) const { return accounts_row(plans + plan); }
  std::size_t accounts_at(std::size_t k, int plan) const { return accounts_row(plan) + k; }
  std::size_t seats_at(std::size_t k, int plan) const { return seats_row(plan) + k; }
  // The annual cohorts (annual_cohorts.cpp): kAnnualTags tagged copies of the accounts, each
  // the accounts that paid at one of the last twelve month ends, by class and plan. Only plans
  // that accounts which paid can reach keep a copy (tag_row[plan] >= 0): the paying and
  // cancelled plans, and with sales every plan but the untouched.
  std::size_t tags_at = 0;
  int tag_plans = 0;
  std::vector<int> tag_row;
  bool tagged(int plan) const { return tag_row[static_cast<std::size_t>(plan)] >= 0; }
  std::size_t tag(int slot, std::size_t k, int plan) const {
    assert(tagged(plan));
    return tags_at + (static_cast<std::size_t>(slot) * static_cast<std::size_t>(tag_plans) +
                      static_cast<std::size_t>(tag_row[static_cast<std::size_t>(plan)])) *
                         lanes +
           k;
  }
  std::size_t size() const {
    return tags_at + static_cast<std::size_t>(kAnnualTags) * static_cast<std::size_t>(tag_plans) *
                         lanes + laws.size;
  }
  // Teammate invites: each self-serve block's law of active others, after the tags.
  InviteLaws laws;
  // Moves of accounts between plans at the state being evaluated, booked by the flows per
  // (from, to) plan pair in rows of classes (account_moves.cpp): the accounts a month (which
  // the tagged cohorts follow) and, for move_accounts, the share of the source block's active
  // users and other people of each group moving with them a month; applied once all flows are
  // booked (apply_moves).
  enum MoveRow : int { kMovedAccounts = 0, kMovedShares = 1, kMoveRows = 5 };  // shares: + pool j
  struct MovePair {
    int from, to;
    bool people;  // booked by move_accounts (else only accounts, for the tags)
  };
  mutable std::vector<MovePair> move_pairs;
  mutable std::vector<int> move_slot;  // per from x plans + to: the pair's index, -1 if none
  mutable std::vector<double> move_rows;
  double* move_row(std::size_t pair, int row) const {
    return move_rows.data() + (pair * kMoveRows + static_cast<std::size_t>(row)) * lanes;
  }
  std::size_t move_pair(int from, int to) const;  // booked at this evaluation, or a new one
  // Under teammate invites each move is also kept for the laws (invite_laws.hpp), with its
  // profile: the moved accounts by head count (-1: in proportion).
  void record_move(std::size_t k, int from, int to, double accounts, int profile = -1) const {
    if (!(accounts > 0.0)) return;
    move_row(move_pair(from, to), kMovedAccounts)[k] += accounts;
    if (laws.on) [[unlikely]] keep_law_move(laws, {k, from, to, accounts, profile});
  }
  // MRR of the block's accounts, cents a month (seats at the plan's price; 0 if it does not pay).
  double block_mrr_cents(const State& y, std::size_t k, int plan) const;
  // Per plan: whether its accounts' people can use the product without a free tier (paid,
  // trial, contract); the others only with one.
  std::vector<bool> access_always;
  bool access(int plan) const {
    return access_always[static_cast<std::size_t>(plan)] || rates.self_serve;
  }
  bool is_paid(int plan) const { return plan >= paid0; }  // a self-serve paid tier
  bool is_contract(int plan) const {
    return contract0 >= 0 && plan >= contract0 && plan < contract0 + kTermPhases;
  }
  bool is_trial(int plan) const {
    return trial0 >= 0 && plan >= trial0 && plan < trial0 + kTrialPhases;
  }
  bool pays(int plan) const { return is_paid(plan) || is_contract(plan); }  // paid churn
  // Self-serve conversion applies (free tier): prospects, cancelled and cooling-off accounts.
  bool converts(int plan) const {
    return plan == kProspect || plan == kEngaged || plan == kCancelled ||
           (cool_plan >= 0 && plan == cool_plan);
  }
  // Registers `count` plans of a mechanism before the paid tiers (constructor only); returns
  // the first.
  int add_plans(int count, bool with_access);

  State initial_state() const;
  // The window's shift at a shift time: the oldest bin drops out, the others age by one bin.
  void shift_window(State& y) const;
  void set_month(int month);
  void rhs(const State& y, State& dy, double t) const;
};

// What the community, the sales floor and trials feed into people's and accounts' flows at one
// instant, filled from the state before the flows (Twin::rhs). Neutral by default.
struct Couplings {
  std::array<double, kChannelCount> awareness{};  // hazards per unaware person beyond organic,
                                                  // word of mouth and paid (community, sales)
  double extra_sources = 0.0;  // word-of-mouth sources beyond the source stages' people
  double activation = 1.0;     // multiplies every activation hazard
  std::array<double, kStageCount> churn{1, 1, 1, 1, 1, 1, 1};  // multiplies churn by stage
  double conversion = 1.0;        // multiplies self-serve conversion hazards
  double signup_no_access = 1.0;  // multiplies signups in plans without access
  double advocacy = 1.0;          // multiplies the regular -> champion hazard
  // Self-serve conversion of an account with x active users is also multiplied by
  // conversion_by_active[x] (trust and play, community_couplings.cpp); empty: 1.
  std::vector<double> conversion_by_active;
  double conversion_multiplier(int active) const {
    return conversion_by_active.empty() || active <= 0
               ? 1.0
               : conversion_by_active[std::min<std::size_t>(static_cast<std::size_t>(active),
                                                            conversion_by_active.size() - 1)];
  }
};

// Market-wide stocks the interaction rates read.
struct Aggregates {
  double unaware = 0, signable = 0, sources = 0, regulars = 0, champions = 0;
  double aware = 0, evaluators = 0, beginners = 0;
};
Aggregates aggregates(const Twin& twin, const State& y);

// The mechanisms' flows (see the files named above).
void people_flows(const Twin& twin, const Aggregates& agg, const Couplings& with, const State& y,
                  State& dy);
void account_flows(const Twin& twin, const Couplings& with, const State& y, State& dy);
void trial_flows(const Twin& twin, const State& y, State& dy);
void sales_flows(const Twin& twin, const State& y, State& dy);
void contract_flows(const Twin& twin, const State& y, State& dy);
SalesMonth sales_month(const Twin& twin, int month);
// Deals won: `won` accounts of class k move from `from` to a contract, with `active` of its
// active users; seats, ramp, onboarding and new MRR (contract_flows.cpp).
void start_contracts(const Twin& twin, const State& y, State& dy, std::size_t k, int from,
                     double won, std::array<double, 2> active);

// Accounts of the block crossing the PQL rule upwards, a month (account_flows.cpp).
double pql_crossings(const Twin& twin, const State& y, std::size_t k, int plan);
// Books new accounts by origin: the channels of the signups so far (account_flows.cpp).
void book_origin(const Twin& twin, const State& y, double* flows, double accounts);

// Moves `accounts` accounts of class k from plan `from` to plan `to` with their people: of each
// group, `active[group]` active users split like the group's active users in the block and the
// rest of the group's people like its other people. Active users arriving in a plan without
// access churn at once. Seats are the caller's.
// `profile`: the moved accounts by head count (invite_laws.hpp), -1 in proportion.
void move_accounts(const Twin& twin, const State& y, State& dy, std::size_t k, int from, int to,
                   double accounts, std::array<double, 2> active, int profile = -1);
// Applies the people's moves booked by move_accounts at this evaluation (account_moves.cpp).
void apply_moves(const Twin& twin, const State& y, State& dy);

// The annual cohort metrics (annual_cohorts.cpp): a tagged copy of the accounts paying at a
// month end follows them, plan by plan, at the rates of their blocks (the closure: a tagged
// account is like any of its block's), for twelve months.
struct AnnualBase {
  std::vector<double> accounts, mrr_cents;  // per size class, at the tag's month end
};
// Tags slot's copy with the accounts paying now; returns their base.
AnnualBase start_tag(const Twin& twin, State& y, int slot);
// The tagged copies' flows: each follows the recorded moves of its accounts' blocks.
void tag_flows(const Twin& twin, const State& y, State& dy);
// The annual counters of r from slot's copy, twelve months after its base.
void annual_record(const Twin& twin, const State& y, int slot, const AnnualBase& base,
                   MonthRecord& r);

// The activation window (activation_window.cpp): the conveyor's shifts a month and dropout from
// the window's length, or the split at month ends, set in Twin's constructor; the evaluators at
// the start, half of them one bin up (Twin::shift_window shifts them).
void lay_out_window(Twin& twin);
void window_initial(const Twin& twin, State& y);
// The window split at month ends (window_split.cpp): the month's end, where the month's early
// signups drop out and the others become the next month's dropping cohort; returns the
// dropouts.
double split_window(const Twin& twin, State& y);

// The month's record, in fixed point (kMicro per unit), from the state at its end; `start` is
// the state the last of `past` was read from (the run's start for the first month), read past
// the first month only with a community (community_record).
MonthRecord month_record(const Twin& twin, const State& y, const State& start,
                         const std::vector<MonthRecord>& past, int month);

}  // namespace flywheel::meanfield
