// What the people's flows share between the flywheel's stages (docs/mean_field.md "People"):
// people_flows.cpp sweeps each (plan, group) of the state and hands the sweep to its stages,
//   people_signups.cpp  awareness by channel, signups, an untouched account's first signup
//   people_stages.cpp   evaluators (activation, churn, engaging), active users (adoption,
//                       advocacy, churn, reactivation), the seat changes they make, exposure
// which pass their rows to each other through Twin's scratch rows (Row).
#pragma once

#include "lanes.hpp"
#include "twin.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace flywheel::meanfield {

// Scratch rows of Twin (one number per class).
enum Row : int {
  rOn,            // 1 where the plan has accounts in the class, else 0
  rPeople,        // the compartment's people being swept, masked
  rFlow,          // a flow being swept, before its sum
  rFirstSignups,  // the group's signups (an untouched account's are its first)
  rActivated,     // activations (evaluators becoming beginners)
  rDropped,       // evaluators churning
  rTeamRate,      // teammate invites per person not signed up
  rPi1,           // the first signer's chance to be active
  rRatio,         // a move's share of the block
  rTeamSignups,   // the group's team signups (teammate invites' laws only)
  rTeam,          // team effects: first signers' adoption, churn, others' adoption, churn
  // The active users' flows to book (active_user_flows), and their exposure.
  rAdopted = rTeam + 4,
  rAdvocated,
  rChurnedBeginners,
  rChurnedRegulars,
  rChurnedChampions,
  rReactivated,
  rUsers,
  rBeginnerUsers,
  rChampionUsers,
  rRows
};
static_assert(rRows <= static_cast<int>(Twin::kScratchRows));

// One (plan, group) being swept: its rows in the state and its derivative, the month's rates
// with the couplings' multipliers, and the month's counters.
struct PeopleSweep {
  const Twin& twin;
  const State& y;
  State& dy;
  const MonthRates& r;
  double* flows;  // the month's counters in dy
  std::size_t lanes, classes;
  const double* n;  // class sizes, a row
  int plan, group;
  const double* accounts;  // the plan's accounts, a row
  bool access;             // whether the plan's people can use the product

  const double* in(int c) const { return twin.row_of(y, plan, group, c); }
  double* out(int c) const { return twin.row_of(dy, plan, group, c); }
  double* row(Row i) const { return twin.scratch_row(i); }
  void zero(double* x) const { std::fill(x, x + lanes, 0.0); }
  // Adds the swept flow row to the month's counter.
  void book(int counter, const double* x) const { flows[counter] += lane_sum(x, lanes); }
};

// moved[k] accounts of class k go from plan `from` to `to` (their people are moved by the
// caller, compartment by compartment), booked for the annual cohorts and the laws.
void move_account_row(const Twin& twin, State& dy, int from, int to, const double* moved);

// Awareness by channel and signups (referral and team invites, the aware by their channel),
// the aware forgetting; the group's signups in rFirstSignups, its team signups in rTeamSignups
// (people_signups.cpp).
void signup_flows(const PeopleSweep& s, const std::array<double, kChannelCount>& aware_rate,
                  double referral_rate, double signup, bool any_team_rate);
// Untouched accounts' first signups move them, with their other people, to the touched plan.
void first_signup_moves(const PeopleSweep& s);
// Evaluators activating or churning; a prospect whose first signer activates becomes engaged
// (people_stages.cpp).
void evaluator_flows(const PeopleSweep& s);
// Active users' adoption, advocacy and churn, churned people coming back, the seat changes
// these make and the month's exposure.
void active_user_flows(const PeopleSweep& s);

// The window split at month ends (window_split.cpp), within the month: the dropping cohort's
// dropouts (written to `dropouts` and added to `churned_never`) and its rows' decay at the
// evaluators' `hazard`; people entering bin 0 add their time to the month's end to `to_end`.
void window_split_flows(const PeopleSweep& s, double hazard, double* churned_never,
                        double* dropouts);
void window_split_entries(const Twin& twin, double* to_end, const double* entering,
                          std::size_t lanes);

}  // namespace flywheel::meanfield
