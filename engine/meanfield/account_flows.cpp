// Accounts in the twin: self-serve conversion by the PQL rule, seats following active users,
// plan tiers, cancellation (by hazard, or when no active user is left), and the MRR movements
// they make (docs/mean_field.md "Accounts").
#include "binomial.hpp"
#include "seat_reviews.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

void move_accounts(const Twin& twin, const State& y, State& dy, std::size_t k, int from, int to,
                   double accounts, std::array<double, 2> active, int profile) {
  if (!(accounts > 0.0)) return;
  const int n = twin.classes[k].size;
  double* flows = &dy[twin.flows_at];
  const bool access = twin.access(to);
  for (int group = kFirst; group <= kRest; ++group) {
    const double* b = &y[twin.person(k, from, group, 0)];
    double* d = &dy[twin.person(k, from, group, 0)];
    double* t = &dy[twin.person(k, to, group, 0)];
    const double block_active = twin.pool(k, from)[static_cast<std::size_t>(2 * group)];
    const double block_other = twin.pool(k, from)[static_cast<std::size_t>(2 * group + 1)];
    const double people = accounts * (group == kFirst ? 1 : n - 1);
    const double moved_active = block_active > 0.0 ? std::clamp(active[group], 0.0, people) : 0.0;
    const double moved_other = people - moved_active;
    // Each compartment's share of its pool moves: the moved active users and other people
    // split like the block's.
    const double of_active = block_active > 0.0 ? moved_active / block_active : 0.0;
    const double of_other = block_other > 0.0 ? moved_other / block_other : 0.0;
    for (int c = 0; c < kPersonCompartments; ++c) {
      const bool is_active = is_active_compartment(c);
      const double moved = (is_active ? of_active : of_other) * std::max(0.0, b[c]);
      if (moved == 0.0) continue;
      d[c] -= moved;
      if (is_active && !access) {  // no product to use: they churn (access_lost_users)
        t[cChurnedEver] += moved;
        flows[f_access_lost_users] += moved;
      } else {
        t[c] += moved;
      }
    }
  }
  dy[twin.accounts_at(k, from)] -= accounts;
  dy[twin.accounts_at(k, to)] += accounts;
  twin.record_move(k, from, to, accounts, profile);
}

// The block's active users per account, as the closure sees them: built once per evaluation
// (Twin::rhs).
const HeadCount& head_count(const Twin& twin, const State&, std::size_t k, int plan) {
  return twin.head(k, plan);
}

// Books a conversion's new accounts by origin: the channels of the signups so far (the twin
// does not follow which user signed up first; docs/mean_field.md).
void book_origin(const Twin& twin, const State& y, double* flows, double accounts) {
  const double* signups = &y[twin.origins_at];
  double total = 0.0;
  for (int c = 0; c < kChannelCount; ++c) {
    if (c != static_cast<int>(Channel::team)) total += signups[c];
  }
  if (!(total > 0.0)) {
    flows[f_accounts_new_by + static_cast<int>(Channel::initial)] += accounts;
    return;
  }
  for (int c = 0; c < kChannelCount; ++c) {
    if (c != static_cast<int>(Channel::team)) {
      flows[f_accounts_new_by + c] += accounts * signups[c] / total;
    }
  }
}

namespace {

// Self-serve conversion of a prospect or cancelled account with a free tier (accounts.cpp):
// free_conversion with an active user, pql_conversion with pql_min_active or more.
void convert(const Twin& twin, const Couplings& with, const State& y, State& dy, std::size_t k,
             int plan, const HeadCount& a) {
  const MonthRates& r = twin.rates;
  const double accounts = y[twin.accounts_at(k, plan)];
  auto hazard = [&](int active) {
    return with.conversion * with.conversion_multiplier(active) *
           (active <= 0                 ? 0.0
                              : active >= r.pql_min_active ? r.pql_conversion
                                                           : r.free_conversion);
  };
  // The converting accounts, their seats, and their active first signers and others, in one
  // pass over the active others x (the first signer active or not: a = x or x + 1).
  double rate = 0.0, seats_rate = 0.0, first_rate = 0.0, others_rate = 0.0;
  a.visit_others([&](int x, double p, double p0, double p1) {
    const double h0 = p0 * hazard(x), h1 = p1 * hazard(x + 1);
    rate += p * (h0 + h1);
    seats_rate += p * (h0 * std::max(r.min_seats, x) + h1 * std::max(r.min_seats, x + 1));
    first_rate += p * h1;
    others_rate += p * (h0 + h1) * x;
  });
  const double moved = accounts * rate;
  if (!(moved > 0.0)) return;
  const double seats = accounts * seats_rate;
  // Under teammate invites the converting accounts by their head count (invite_laws.hpp).
  move_accounts(twin, y, dy, k, plan, twin.paid0, moved,
                {accounts * first_rate, accounts * others_rate},
                twin.laws.on ? law_profile(twin, k, plan, hazard) : -1);
  dy[twin.seats_at(k, twin.paid0)] += seats;
  const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
  const double mrr = seats * static_cast<double>(twin.model.seat_price(segment, 0));
  double* flows = &dy[twin.flows_at];
  if (plan == kCancelled) {
    flows[f_accounts_reactivated] += moved;
    flows[f_mrr_reactivation_cents] += mrr;
  } else {
    flows[f_accounts_new] += moved;
    flows[f_mrr_new_cents] += mrr;
    book_origin(twin, y, flows, moved);
  }
}

}  // namespace

// Free accounts that reach the PQL rule: those with pql_min_active - 1 active users of whom one
// more person becomes active (at the rate of the block's evaluators and churned users).
double pql_crossings(const Twin& twin, const State& y, std::size_t k, int plan) {
  const MonthRates& r = twin.rates;
  const int n = twin.classes[k].size;
  const int j = r.pql_min_active;
  const double accounts = y[twin.accounts_at(k, plan)];
  if (j < 1 || j > n) return 0.0;
  // Per person not active: the hazard of becoming active; per account: the share active.
  std::array<double, 2> becoming{}, active{};
  for (int group = kFirst; group <= kRest; ++group) {
    const double* b = &y[twin.person(k, plan, group, 0)];
    double evaluators = 0.0;
    const double others = twin.pool(k, plan)[static_cast<std::size_t>(2 * group + 1)];
    for (int i = 0; i < kWindowBins; ++i) evaluators += std::max(0.0, b[cEvaluator + i]);
    const double people = accounts * (group == kFirst ? 1 : n - 1);
    active[group] = people > 0 ? std::clamp(1.0 - others / people, 0.0, 1.0) : 0.0;
    becoming[group] =
        others > 0.0
            ? (r.activation * evaluators + r.reactivation * std::max(0.0, b[cChurnedEver])) / others
            : 0.0;
  }
  const HeadCount& a = twin.head(k, plan);
  if (twin.laws.has(k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan))) {
    // Under teammate invites others become active by the law's rates (invite_laws.hpp).
    const LawRates& law = law_rates(twin, k, plan);
    return accounts *
           ((1.0 - a.pi1()) * a.others(0).pmf(j - 1) * (becoming[kFirst] + law.up(0, j - 1)) +
            a.pi1() * a.others(1).pmf(j - 2) * law.up(1, j - 2));
  }
  const Binomial& x = a.others(0);
  // Crossings j - 1 -> j: with the first signer not active (it or one of the others becomes
  // active) or active (one of the others).
  const double crossing =
      (1.0 - active[kFirst]) * x.pmf(j - 1) * (becoming[kFirst] + (n - j) * becoming[kRest]) +
      active[kFirst] * x.pmf(j - 2) * (n - j + 1) * becoming[kRest];
  return accounts * crossing;
}

namespace {

void count_new_pqls(const Twin& twin, const State& y, State& dy, std::size_t k, int plan) {
  dy[twin.flows_at + f_new_pqls] += pql_crossings(twin, y, k, plan);
}

// A paying account of tier `tier`: cancellation, tier moves and seats (accounts.cpp, seats.cpp,
// plan_tiers.cpp).
SeatEvents seat_events(const Twin& twin, std::size_t k, int plan, const HeadCount& a) {
  const MonthRates& r = twin.rates;
  const int n = twin.classes[k].size;
  // Per person not active: the hazard of becoming active; per active user: of ceasing to be
  // (the people's flows of this block, team effects included).
  std::array<double, 2> becoming{}, leaving{};
  const std::array<double, 4>& changes =
      twin.active_changes[k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan)];
  for (int group = kFirst; group <= kRest; ++group) {
    const double active = twin.pool(k, plan)[static_cast<std::size_t>(2 * group)];
    const double others = twin.pool(k, plan)[static_cast<std::size_t>(2 * group + 1)];
    if (others > 0.0) becoming[group] = changes[static_cast<std::size_t>(group)] / others;
    if (active > 0.0) leaving[group] = changes[static_cast<std::size_t>(2 + group)] / active;
  }
  const int m = r.min_seats;
  // Reviews of missing and of unused seats at their mean rate when the two differ.
  const double review = 0.5 * (r.seat_add + r.seat_removal);
  // An account of a active users, `out` people not active of whom the first signer or not: a
  // seat is added when a >= min_seats gains a user, removed when a > min_seats loses one.
  auto add = [&](SeatEvents& e, double weight, int active, double up, double down) {
    const SeatEvents one =
        seat_movements(active >= m ? up : 0.0, active > m ? down : 0.0, review);
    e.up += weight * one.up;
    e.down += weight * one.down;
  };
  SeatEvents e;
  if (twin.laws.has(k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan))) {
    // Under teammate invites others become active and cease to be by the law's rates
    // (invite_laws.hpp).
    const LawRates& law = law_rates(twin, k, plan);
    a.visit_others([&](int x, double p, double p0, double p1) {
      add(e, p * p0, x, becoming[kFirst] + law.up(0, x), law.down(0, x));
      add(e, p * p1, x + 1, law.up(1, x), leaving[kFirst] + law.down(1, x));
    });
    return e;
  }
  a.visit_others([&](int x, double p, double p0, double p1) {
    const double rest_out = static_cast<double>(n - 1 - x);
    add(e, p * p0, x, becoming[kFirst] + rest_out * becoming[kRest], leaving[kRest] * x);
    add(e, p * p1, x + 1, rest_out * becoming[kRest], leaving[kFirst] + leaving[kRest] * x);
  });
  return e;
}

void bill(const Twin& twin, const State& y, State& dy, std::size_t k, int tier,
          const HeadCount& a) {
  const MonthRates& r = twin.rates;
  const int plan = twin.paid0 + tier;
  double* flows = &dy[twin.flows_at];
  const double accounts = y[twin.accounts_at(k, plan)];
  const double per_account = std::max(0.0, y[twin.seats_at(k, plan)]) / accounts;
  std::array<double, 2> active{};
  for (int group = kFirst; group <= kRest; ++group) {
    const double* b = &y[twin.person(k, plan, group, 0)];
    active[group] = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
  }
  const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
  const auto price = static_cast<double>(twin.model.seat_price(segment, std::uint8_t(tier)));
  auto move_share = [&](int to, double hazard, std::array<double, 2> moving_active,
                        int profile = -1) {
    const double moved = accounts * hazard;
    move_accounts(twin, y, dy, k, plan, to, moved, moving_active, profile);
    dy[twin.seats_at(k, plan)] -= per_account * moved;
    if (twin.is_paid(to)) dy[twin.seats_at(k, to)] += per_account * moved;
    return moved;
  };

  // Cancellation: the segment's hazard, and a team with no active user when its seats go.
  const double cancel = r.cancel[segment];
  const double abandon = a.pmf(0) * r.seat_removal;
  // Under teammate invites the leaving accounts by their head count (invite_laws.hpp).
  const int profile =
      twin.laws.on ? law_profile(twin, k, plan,
                                 [&](int a) { return cancel + (a == 0 ? r.seat_removal : 0.0); })
                   : -1;
  const double leaving = move_share(kCancelled, cancel + abandon,
                                    {active[kFirst] * cancel, active[kRest] * cancel}, profile);
  flows[f_accounts_churned] += leaving;
  flows[f_mrr_churned_cents] += price * per_account * leaving;

  // Plan tiers: one up with upgrade, one down with downgrade.
  auto move_tier = [&](int to, double hazard, int counter) {
    if (!(hazard > 0.0)) return;
    const double moved =
        move_share(twin.paid0 + to, hazard, {active[kFirst] * hazard, active[kRest] * hazard});
    flows[counter] += moved;
    const double change =
        per_account * moved *
        (static_cast<double>(twin.model.seat_price(segment, std::uint8_t(to))) - price);
    flows[change > 0 ? f_mrr_expansion_cents : f_mrr_contraction_cents] += std::abs(change);
  };
  if (tier + 1 < twin.tiers) move_tier(tier + 1, r.upgrade, f_tier_upgrades);
  if (tier > 0) move_tier(tier - 1, r.downgrade, f_tier_downgrades);

  // Seats follow max(min_seats, active users) at the account's reviews; a team with no active
  // user cancels instead (above). They move with the accounts' own head-count changes
  // (seat_events): the closure draws each account's head count afresh at every instant, so
  // comparing the block's mean seats with its head-count law would see missing seats in some
  // accounts and unused ones in others all the time (monthly movements 3-25 times the agent
  // model's, and seats drifting above its).
  const SeatEvents events = seat_events(twin, k, plan, a);
  const double added = accounts * events.up, removed = accounts * events.down;
  dy[twin.seats_at(k, plan)] += added - removed;
  flows[f_mrr_expansion_cents] += price * added;
  flows[f_mrr_contraction_cents] += price * removed;
}

}  // namespace

void account_flows(const Twin& twin, const Couplings& with, const State& y, State& dy) {
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      if (!(y[twin.accounts_at(k, plan)] > 1e-300)) continue;
      if (twin.is_paid(plan)) {
        bill(twin, y, dy, k, plan - twin.paid0, twin.head(k, plan));
      } else if (twin.rates.self_serve && twin.converts(plan)) {
        count_new_pqls(twin, y, dy, k, plan);
        convert(twin, with, y, dy, k, plan, twin.head(k, plan));
      }
    }
  }
}

}  // namespace flywheel::meanfield
