// Accounts in the twin: self-serve conversion by the PQL rule, seats following active users,
// plan tiers, cancellation (by hazard, or when no active user is left), and the MRR movements
// they make (docs/mean_field.md "Accounts").
#include "binomial.hpp"
#include "lanes.hpp"
#include "seat_reviews.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

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

// Self-serve conversion hazards of an account by its active users a = 0 .. size - 1 (free
// conversion with an active user, pql_conversion with pql_min_active or more, the community's
// multipliers), and its seats max(min_seats, a): tabled once per evaluation.
struct ConversionTable {
  std::vector<double>& hazard;
  std::vector<double>& seats;
};

void fill_conversion(const Twin& twin, const Couplings& with, std::size_t size,
                     const ConversionTable& t) {
  const MonthRates& r = twin.rates;
  t.hazard.resize(size);
  t.seats.resize(size);
  for (std::size_t i = 0; i < size; ++i) {
    const int active = static_cast<int>(i);
    t.hazard[i] = with.conversion * with.conversion_multiplier(active) *
                  (active <= 0                 ? 0.0
                   : active >= r.pql_min_active ? r.pql_conversion
                                                : r.free_conversion);
    t.seats[i] = static_cast<double>(std::max(r.min_seats, active));
  }
}

// The conversion table for this evaluation. Without the community's multipliers by active
// users it changes only with the month and the conversion multiplier: tabled then, up to the
// largest class (any head count). With them, at every evaluation, up to the largest head count
// a converting block can reach.
void table_conversion(const Twin& twin, const Couplings& with, const State& y) {
  const ConversionTable table{twin.conversion_hazard, twin.conversion_seats};
  const auto largest = static_cast<std::size_t>(twin.largest_class) + 2;
  if (with.conversion_by_active.empty()) {
    if (twin.conversion_month == twin.current_month && twin.conversion_factor == with.conversion) {
      return;
    }
    fill_conversion(twin, with, largest, table);
    twin.conversion_month = twin.current_month;
    twin.conversion_factor = with.conversion;
    return;
  }
  twin.conversion_month = -1;
  std::size_t size = 2;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      if (twin.converts(plan) && y[twin.accounts_at(k, plan)] > 1e-300) {
        size = std::max(size, static_cast<std::size_t>(twin.head(k, plan).others_hi()) + 2);
      }
    }
  }
  // Under teammate invites a move's profile reads the hazards at every head count (law_profile).
  if (twin.laws.on) size = largest;
  fill_conversion(twin, with, size, table);
}

// Under teammate invites (invite_laws.hpp), out of line so that the closure's paths stay compact:
// the profiles of a conversion (the table's hazards by head count) and of a cancellation (the
// segment's hazard, and abandonment with no active user).
[[gnu::noinline]] int conversion_profile(const Twin& twin, std::size_t k, int plan,
                                         const double* hazard) {
  return law_profile(twin, k, plan,
                     [hazard](int active) { return hazard[static_cast<std::size_t>(active)]; });
}
[[gnu::noinline]] int cancel_profile(const Twin& twin, std::size_t k, int plan, double cancel,
                                     double removal) {
  return law_profile(twin, k, plan,
                     [cancel, removal](int a) { return cancel + (a == 0 ? removal : 0.0); });
}

// Self-serve conversion of a prospect or cancelled account with a free tier (accounts.cpp):
// free_conversion with an active user, pql_conversion with pql_min_active or more. Returns the
// new accounts (not reactivated ones), whose origins account_flows books once for all blocks.
double convert(const Twin& twin, const ConversionTable& table, const State& y, State& dy,
             std::size_t k, int plan, const HeadCount& a) {
  const double accounts = y[twin.accounts_at(k, plan)];
  const double* hazard = table.hazard.data();
  const double* seats_of = table.seats.data();
  // The converting accounts, their seats, and their active first signers and others, in one
  // pass over the active others x (the first signer active or not: a = x or x + 1).
  double rate = 0.0, seats_rate = 0.0, first_rate = 0.0, others_rate = 0.0;
  a.visit_others([&](int x, double p, double p0, double p1) {
    const auto i = static_cast<std::size_t>(x);
    const double h0 = p0 * hazard[i], h1 = p1 * hazard[i + 1];
    rate += p * (h0 + h1);
    seats_rate += p * (h0 * seats_of[i] + h1 * seats_of[i + 1]);
    first_rate += p * h1;
    others_rate += p * (h0 + h1) * x;
  });
  const double moved = accounts * rate;
  if (!(moved > 0.0)) return 0.0;
  const double seats = accounts * seats_rate;
  // Under teammate invites the converting accounts by their head count (invite_laws.hpp).
  move_accounts(twin, y, dy, k, plan, twin.paid0, moved,
                {accounts * first_rate, accounts * others_rate},
                twin.laws.on ? conversion_profile(twin, k, plan, hazard) : -1);
  dy[twin.seats_at(k, twin.paid0)] += seats;
  const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
  const double mrr = seats * static_cast<double>(twin.model.seat_price(segment, 0));
  double* flows = &dy[twin.flows_at];
  if (plan == kCancelled) {
    flows[f_accounts_reactivated] += moved;
    flows[f_mrr_reactivation_cents] += mrr;
    return 0.0;
  }
  flows[f_accounts_new] += moved;
  flows[f_mrr_new_cents] += mrr;
  return moved;
}

}  // namespace

namespace {

// Under teammate invites others become active by the law's rates (invite_laws.hpp): the
// crossings of the PQL rule j - 1 -> j with the first signer not active or active.
[[gnu::noinline]] double law_crossings(const Twin& twin, std::size_t k, int plan,
                                       const HeadCount& a, double accounts, double first_becoming) {
  const int j = twin.rates.pql_min_active;
  const LawRates& law = law_rates(twin, k, plan);
  return accounts *
         ((1.0 - a.pi1()) * a.others(0).pmf(j - 1) * (first_becoming + law.up(0, j - 1)) +
          a.pi1() * a.others(1).pmf(j - 2) * law.up(1, j - 2));
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
    const People<const double> b = twin.people(y, k, plan, group);
    double evaluators = 0.0;
    const double others = twin.pool(k, plan, 2 * group + 1);
    for (int i = 0; i < twin.bins; ++i) evaluators += std::max(0.0, b[cEvaluator + i]);
    const double people = accounts * (group == kFirst ? 1 : n - 1);
    active[group] = people > 0 ? std::clamp(1.0 - others / people, 0.0, 1.0) : 0.0;
    becoming[group] =
        others > 0.0
            ? (r.activation * evaluators + r.reactivation * std::max(0.0, b[cChurnedEver])) / others
            : 0.0;
  }
  const HeadCount& a = twin.head(k, plan);
  if (twin.laws.has(k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan))) {
    return law_crossings(twin, k, plan, a, accounts, becoming[kFirst]);
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

// Under teammate invites others become active and cease to be by the law's rates
// (invite_laws.hpp), the laws given the first signer not active and active apart: the seat
// movements of seat_events.
[[gnu::noinline]] SeatEvents law_seat_events(const Twin& twin, std::size_t k, int plan,
                                             const HeadCount& a, double first_becoming,
                                             double first_leaving, double review) {
  const int m = twin.rates.min_seats;
  const LawRates& law = law_rates(twin, k, plan);
  SeatEvents e;
  a.visit_others([&](int x, double p, double p0, double p1) {
    const std::array<double, 2> weight = {p * p0, p * p1};
    const std::array<double, 2> up = {x >= m ? first_becoming + law.up(0, x) : 0.0,
                                      x + 1 >= m ? law.up(1, x) : 0.0};
    const std::array<double, 2> down = {x > m ? law.down(0, x) : 0.0,
                                        x + 1 > m ? first_leaving + law.down(1, x) : 0.0};
    const SeatEvents both = reviewed_movements2(up, down, review, weight);
    e.up += both.up;
    e.down += both.down;
  });
  return e;
}

// The rates of a paying block's head-count moves by number x = lo + i of active others, the
// first signer not active (lane i) and active (lane half + i): up when a >= min_seats gains a
// user, down when a > min_seats loses one, and each lane's probability. One loop without
// branches that vectorises, then the few x at or below min_seats set apart.
FLYWHEEL_SWEEP void seat_rates(const double* p, int lo, std::size_t half, int n, int m,
                               std::array<double, 2> first, std::array<double, 2> becoming,
                               std::array<double, 2> leaving, double* up, double* down,
                               double* weight) {
  const double mates = n - 1;
  const double bf = becoming[kFirst], br = becoming[kRest];
  const double lf = leaving[kFirst], lr = leaving[kRest], p0 = first[0], p1 = first[1];
  const int count = static_cast<int>(half);  // an int's conversion to double vectorises
#pragma GCC ivdep
  for (int i = 0; i < count; ++i) {
    const double x = lo + i;
    const double rest_out = mates - x;  // exact: small whole numbers
    weight[i] = p[i] * p0;
    weight[half + i] = p[i] * p1;
    up[i] = bf + rest_out * br;
    up[half + i] = rest_out * br;
    down[i] = lr * x;
    down[half + i] = lf + lr * x;
  }
  for (int x = lo; x <= m && x < lo + static_cast<int>(half); ++x) {
    const auto i = static_cast<std::size_t>(x - lo);
    if (x < m) up[i] = 0.0;
    if (x + 1 < m) up[half + i] = 0.0;
    down[i] = 0.0;  // x <= m
    if (x + 1 <= m) down[half + i] = 0.0;
  }
}

// A paying account of tier `tier`: cancellation, tier moves and seats (accounts.cpp, seats.cpp,
// plan_tiers.cpp).
SeatEvents seat_events(const Twin& twin, std::size_t k, int plan, const HeadCount& a) {
  const MonthRates& r = twin.rates;
  const int n = twin.classes[k].size;
  // Per person not active: the hazard of becoming active; per active user: of ceasing to be
  // (the people's flows of this block, team effects included).
  std::array<double, 2> becoming{}, leaving{};
  for (int group = kFirst; group <= kRest; ++group) {
    const double active = twin.pool(k, plan, 2 * group);
    const double others = twin.pool(k, plan, 2 * group + 1);
    if (others > 0.0) becoming[group] = twin.active_change(k, plan, group) / others;
    if (active > 0.0) leaving[group] = twin.active_change(k, plan, 2 + group) / active;
  }
  const int m = r.min_seats;
  const double p1 = a.pi1(), p0 = 1.0 - p1;
  // Reviews of missing and of unused seats at their mean rate when the two differ.
  const double review = 0.5 * (r.seat_add + r.seat_removal);
  if (!(review > 0.0)) return {};
  // An account of a active users, `out` people not active of whom the first signer or not: a
  // seat is added when a >= min_seats gains a user, removed when a > min_seats loses one. Per
  // number x of active others, the account without (a = x) and with (a = x + 1) its first
  // signer active, side by side.
  SeatEvents e;
  if (twin.laws.has(k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan))) {
    return law_seat_events(twin, k, plan, a, becoming[kFirst], leaving[kFirst], review);
  }
  // The two first-signer states of each x in two halves (lane i: x = lo + i and the first
  // signer not active; lane half + i: active), their movements in a sweep of their own, then
  // summed in the order of x as in reviewed_movements2.
  const int lo = a.others(0).lo(), hi = a.others(0).hi();
  const auto half = static_cast<std::size_t>(hi - lo + 1);
  std::vector<double>& buffer = twin.review_scratch;
  if (buffer.size() < 10 * half) buffer.resize(10 * half);
  double* up = buffer.data();
  double* down = up + 2 * half;
  double* weight = down + 2 * half;
  double* added = weight + 2 * half;
  double* removed = added + 2 * half;
  seat_rates(a.others(0).probabilities(), lo, half, n, m, {p0, p1}, becoming, leaving, up, down,
             weight);
  reviewed_sweep(2 * half, up, down, weight, review, added, removed);
  for (std::size_t i = 0; i < half; ++i) {
    e.up += added[i] + added[half + i];
    e.down += removed[i] + removed[half + i];
  }
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
    const People<const double> b = twin.people(y, k, plan, group);
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
  const int profile = twin.laws.on ? cancel_profile(twin, k, plan, cancel, r.seat_removal) : -1;
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
  if (twin.rates.self_serve) table_conversion(twin, with, y);
  const ConversionTable table{twin.conversion_hazard, twin.conversion_seats};
  double converted = 0.0;  // new accounts of every block, booked by origin at the end
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      if (!(y[twin.accounts_at(k, plan)] > 1e-300)) continue;
      if (twin.is_paid(plan)) {
        bill(twin, y, dy, k, plan - twin.paid0, twin.head(k, plan));
      } else if (twin.rates.self_serve && twin.converts(plan)) {
        count_new_pqls(twin, y, dy, k, plan);
        converted += convert(twin, table, y, dy, k, plan, twin.head(k, plan));
      }
    }
  }
  if (converted > 0.0) book_origin(twin, y, &dy[twin.flows_at], converted);
}

}  // namespace flywheel::meanfield
