// Teammate invites in the twin (funnel.teammate_invites_per_month; docs/mean_field.md "Teammate
// invites"): invites go where an account's active users are and feed on themselves within it,
// so an account's active users are over-dispersed against the closure's Binomial, and its first
// signer's activity is correlated with its teammates' (an active first signer invites them).
// With invites on, each self-serve block (prospects, engaged prospects, cancelled, the paid
// tiers) carries the joint *law* of its accounts' first signer (active, f = 1, or not) and
// number x of active others: L_f(x) accounts, a master equation over x = 0 .. m (m = n - 1
// others), exact up to kLawExact and in bins above (50% wide, at most m / 8: share bins in
// large classes). Its rates are the block's own (the people's flows give the totals; the law
// spreads them over (f, x)):
//   others up    (m - x) (u0 + ut (f + x)),
//   others down  nu c(x - 1 + f) x,          c the team effect's churn multiplier,
//   first up     b1 (f = 0 -> 1),  first down  l1 c(x) (f = 1 -> 0),
// ut the part of becoming active that invites make (the team share of the block's signups).
// Moves of accounts between plans carry their law: in proportion, or by the head count when the
// move reads it (a profile: conversion, abandonment). The closure reads the law instead of the
// Binomial; without invites nothing of this exists.
#pragma once

#include "binomial.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace flywheel::meanfield {

struct Twin;
using State = std::vector<double>;

// Active others 0 .. kLawExact - 1 are entries of their own; above, bins 50% wide, at most
// (m + 1) / 8 (the share of the account in eighths).
inline constexpr int kLawExact = 12;

// Accounts of more than kLawMaxOthers + 1 people keep the closure's Binomial. In a large
// account the law's single-count bins empty at about (others not active) x (their hazard of
// becoming active) a month, hundreds in accounts of thousands: equations that stiff hold the
// explicit integrator to steps of hours (hypotheses/free-tier, classes up to 10,000 people:
// 122 s with the law in every class, 5 s with it up to 257 people, 2.8 s with the closure).
// Measured on free-tier at month 24 against the agent model, PQLs +8.7% with the law in every
// class, +10.7% up to 257 people, +38% up to 65; breakout-100m moves by less than 0.1%.
inline constexpr int kLawMaxOthers = 256;

// Team effects: the churn multiplier of an active user by its active teammates a = 0 ..
// kLawExact (the share in quarters rounded half up, as team_multipliers in team_effects.cpp),
// per class.
using TeamTable = std::array<double, kLawExact + 1>;

// A block's law at the state being evaluated: law[f][i] accounts in bin i = [edge[i],
// edge[i + 1]) of active others, and its sums.
struct LawView {
  const double* law[2] = {nullptr, nullptr};  // f = 0, 1
  const int* edge = nullptr;                  // the class's bins
  int bins = 0, m = 0;                        // bins; others per account (n - 1)
  int used[2] = {0, 0};  // bins per f that hold accounts (beyond: below 1e-9 of the block's)
  // Where a bin's accounts stand: at(i) = edge[i] + theta (width - 1), theta such that the
  // law's active others are the block's (the people's compartments hold them).
  double theta = 0.5;
  const TeamTable* teams = nullptr;  // the class's; nullptr without team effects on churn
  double reduction = 0.0;            // team_churn_reduction
  double accounts[2] = {0.0, 0.0};   // per f
  // Sums over the law: people not active among the others, the same x the account's active
  // users, active others x their team churn multiplier, active first signers x theirs.
  double idle = 0.0, idle_by_active = 0.0, churning = 0.0, first_churning = 0.0;

  int width(int i) const { return edge[i + 1] - edge[i]; }
  double at(int i) const { return edge[i] + theta * (width(i) - 1); }
  double team(double a) const {
    if (!teams) return 1.0;
    const int i = std::max(0, static_cast<int>(a + 0.5));
    if (i <= kLawExact) return (*teams)[static_cast<std::size_t>(i)];
    const int mates = std::max(1, m), q = std::min(4, (8 * i + mates) / (2 * mates));
    return std::max(0.0, 1.0 - reduction * q / 4.0);
  }
};
// The block's law at state y (into v, reusing its storage).
void law_view(const Twin& twin, const State& y, std::size_t k, int plan, LawView& v);

// The law's rates per account by (f, x) (the master equation above).
struct LawRates {
  const LawView* view = nullptr;
  double u0 = 0.0, ut = 0.0;  // per other not active, and per (other not active x active user)
  double nu = 0.0;            // per active other, before team effects
  double b1 = 0.0, l1 = 0.0;  // the first signer's, before team effects
  // Per account with the first signer f and x active others.
  double up(int f, double x) const {
    return std::max(0.0, view->m - x) * (u0 + ut * (f + x));
  }
  double down(int f, double x) const { return nu * x * view->team(x - 1 + f); }
  double first_down(double x) const { return l1 * view->team(x); }
};
// The block's rates at the state being evaluated (after the people's flows).
const LawRates& law_rates(const Twin& twin, std::size_t k, int plan);

// A move of accounts between plans at the state being evaluated (Twin::record_move), kept for
// the laws: `profile` indexes the per-account rates by (f, bin) of a move that reads the head
// count (law_profile), -1 for a move in proportion.
struct LawMove {
  std::size_t k;
  int from, to;
  double accounts;
  int profile = -1;
};

struct InviteLaws {
  bool on = false;
  std::size_t at = 0, size = 0;      // the laws' entries in the state
  std::vector<std::int64_t> offset;  // per block (k * plans + plan): first entry, -1 without
  std::vector<std::vector<int>> edges;  // per class: its bins' edges, 0 .. m + 1
  std::vector<TeamTable> teams;         // per class (with team effects on churn)
  // Per block, at the state being evaluated (people_stages.cpp): the others' team signups, all
  // their signups, and their activations, a month.
  mutable std::vector<std::array<double, 3>> signups;
  // The moves of accounts at the state being evaluated, and the per-account move rates by
  // (f, bin) of those recorded with a profile (LawMove::profile).
  mutable std::vector<LawMove> moves;
  mutable std::vector<double> profiles;
  // Per block, at the state being evaluated: its law (begin_law) and rates (law_rates), the
  // rates of evaluation rates_at[block].
  mutable std::vector<LawView> views;
  mutable std::vector<LawRates> rates;
  mutable std::vector<std::size_t> rates_at;

  bool has(std::size_t block) const { return on && offset[block] >= 0; }
  int bins(std::size_t k) const { return static_cast<int>(edges[k].size()) - 1; }
};
// Keeps a move for the laws (Twin::record_move; out of line: the flows' loops stay compact).
void keep_law_move(const InviteLaws& laws, const LawMove& move);
// Lays the laws out after `at` (Twin's constructor): returns the entries added.
std::size_t lay_out_laws(Twin& twin, std::size_t at);
// The laws at the start: the closure's Binomial of each touched block's others.
void laws_initial(const Twin& twin, State& y);
// The block's head count at state y with its law in place of the closure's independence.
void law_head(const Twin& twin, const State& y, std::size_t k, int plan, HeadCount& head);
// The same at an evaluation's start (Twin::rhs), keeping the block's law for the evaluation.
void begin_law(const Twin& twin, const State& y, std::size_t k, int plan, HeadCount& head);
// The mean active users an outside other of the block sees in its account (invites per outside
// person are r x this / (n - 1)); `fallback` (the block's mean) without a law.
double invite_mean(const Twin& twin, std::size_t k, int plan, double fallback);
// A profile for a move of the block's accounts that reads their head count: rate(a) per account
// of a active users, at each (f, bin) of the class's laws; its index for move_accounts and
// Twin::record_move, -1 (the move in proportion) without teammate invites.
int law_profile(const Twin& twin, std::size_t k, int plan, const std::function<double(int)>& rate);
// The laws' own flows and the recorded moves of accounts between plans (after every flow).
void law_flows(const Twin& twin, const State& y, State& dy);

}  // namespace flywheel::meanfield
