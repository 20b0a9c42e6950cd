// Accounts in the twin: self-serve conversion by the PQL rule, seats following active users,
// plan tiers, cancellation (by hazard, or when no active user is left), and the MRR movements
// they make (docs/mean_field.md "Accounts").
#include "binomial.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

void move_accounts(const Twin& twin, const State& y, State& dy, std::size_t k, int from, int to,
                   double accounts, double active, double) {
  if (!(accounts > 0.0)) return;
  const int n = twin.classes[k].size;
  const double* b = &y[twin.at(k, from, 0)];
  double* d = &dy[twin.at(k, from, 0)];
  double* t = &dy[twin.at(k, to, 0)];
  double* flows = &dy[twin.flows_at];
  double block_active = 0.0, block_other = 0.0;
  for (int c = 0; c < cAccounts; ++c) {
    const bool is_active = c == cBeginner || c == cRegular || c == cChampion;
    (is_active ? block_active : block_other) += std::max(0.0, b[c]);
  }
  active = block_active > 0.0 ? std::clamp(active, 0.0, accounts * n) : 0.0;
  const double other = std::max(0.0, accounts * n - active);
  const bool access = twin.access(to);
  for (int c = 0; c < cAccounts; ++c) {
    const bool is_active = c == cBeginner || c == cRegular || c == cChampion;
    const double pool = is_active ? block_active : block_other;
    if (!(pool > 0.0)) continue;
    const double moved = (is_active ? active : other) * std::max(0.0, b[c]) / pool;
    d[c] -= moved;
    if (is_active && !access) {  // no product to use: they churn (access_lost_users)
      t[cChurnedEver] += moved;
      flows[f_access_lost_users] += moved;
    } else {
      t[c] += moved;
    }
  }
  d[cAccounts] -= accounts;
  t[cAccounts] += accounts;
}

namespace {

// Books a conversion's new MRR by the origin of the account: the channels of the signups so far
// (the twin does not follow which user signed up first; docs/mean_field.md).
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

// Self-serve conversion of a prospect or cancelled account with a free tier (accounts.cpp):
// free_conversion with an active user, pql_conversion with pql_min_active or more.
void convert(const Twin& twin, const State& y, State& dy, std::size_t k, int plan,
             const Binomial& a) {
  const MonthRates& r = twin.rates;
  const double accounts = y[twin.at(k, plan, cAccounts)];
  auto hazard = [&](int active) {
    return active <= 0 ? 0.0 : active >= r.pql_min_active ? r.pql_conversion : r.free_conversion;
  };
  const double per_account = a.expect(hazard);
  if (!(per_account > 0.0)) return;
  const double moved = accounts * per_account;
  const double active = accounts * a.expect([&](int x) { return hazard(x) * x; });
  const double seats =
      accounts * a.expect([&](int x) { return hazard(x) * std::max(r.min_seats, x); });
  move_accounts(twin, y, dy, k, plan, kPaid, moved, active, seats);
  dy[twin.at(k, kPaid, cSeats)] += seats;
  const int segment = twin.classes[k].segment;
  const double mrr = seats * static_cast<double>(twin.model.seat_price(std::uint8_t(segment), 0));
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

// Free accounts that reach the PQL rule: accounts with pql_min_active - 1 active users, one of
// whose other people becomes active (at the block's rate of becoming active).
void count_new_pqls(const Twin& twin, const State& y, State& dy, std::size_t k, int plan,
                    const Binomial& a) {
  const MonthRates& r = twin.rates;
  const double* b = &y[twin.at(k, plan, 0)];
  const int n = twin.classes[k].size;
  const int j = r.pql_min_active;
  if (j < 1 || j > n) return;
  double evaluators = 0.0, others = 0.0;
  for (int c = 0; c < cAccounts; ++c) {
    const bool is_active = c == cBeginner || c == cRegular || c == cChampion;
    if (!is_active) others += std::max(0.0, b[c]);
  }
  for (int i = 0; i < kWindowPhases; ++i) evaluators += std::max(0.0, b[cEvaluator + i]);
  if (!(others > 0.0)) return;
  const double becoming =
      (r.activation * evaluators + r.reactivation * std::max(0.0, b[cChurnedEver])) / others;
  dy[twin.flows_at + f_new_pqls] += b[cAccounts] * a.pmf(j - 1) * (n - j + 1) * becoming;
}

// A paying account of tier `tier`: cancellation, tier moves and seats (accounts.cpp, seats.cpp,
// plan_tiers.cpp).
void bill(const Twin& twin, const State& y, State& dy, std::size_t k, int tier,
          const Binomial& a) {
  const MonthRates& r = twin.rates;
  const int plan = kPaid + tier;
  const double* b = &y[twin.at(k, plan, 0)];
  double* d = &dy[twin.at(k, plan, 0)];
  double* flows = &dy[twin.flows_at];
  const double accounts = b[cAccounts];
  const double seats = std::max(0.0, b[cSeats]);
  const double per_account = seats / accounts;
  const double active = b[cBeginner] + b[cRegular] + b[cChampion];
  const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
  const auto price = static_cast<double>(twin.model.seat_price(segment, std::uint8_t(tier)));

  // Cancellation: the segment's hazard, and a team with no active user when its seats go.
  const double cancel = r.cancel[segment];
  const double abandoned = a.pmf(0) * r.seat_removal;
  const double leaving = accounts * (cancel + abandoned);
  const double seats_leaving = per_account * leaving;
  move_accounts(twin, y, dy, k, plan, kCancelled, leaving, active * cancel, seats_leaving);
  d[cSeats] -= seats_leaving;
  flows[f_accounts_churned] += leaving;
  flows[f_mrr_churned_cents] += price * seats_leaving;

  // Plan tiers: one up with upgrade, one down with downgrade.
  auto move_tier = [&](int to, double hazard, int counter) {
    const double moved = accounts * hazard;
    if (!(moved > 0.0)) return;
    move_accounts(twin, y, dy, k, plan, kPaid + to, moved, active * hazard, 0.0);
    d[cSeats] -= per_account * moved;
    dy[twin.at(k, kPaid + to, cSeats)] += per_account * moved;
    flows[counter] += moved;
    const double change =
        per_account * moved *
        (static_cast<double>(twin.model.seat_price(segment, std::uint8_t(to))) - price);
    flows[change > 0 ? f_mrr_expansion_cents : f_mrr_contraction_cents] += std::abs(change);
  };
  if (tier + 1 < twin.tiers) move_tier(tier + 1, r.upgrade, f_tier_upgrades);
  if (tier > 0) move_tier(tier - 1, r.downgrade, f_tier_downgrades);

  // Seats follow max(min_seats, active users): missing ones added, unused ones removed, each
  // at its rate; a team with no active user cancels instead (above).
  const double add = r.seat_add * accounts *
                     a.expect([&](int x) { return std::max(0.0, std::max(r.min_seats, x) - per_account); });
  const double remove =
      r.seat_removal * accounts * a.expect([&](int x) {
        return x == 0 ? 0.0 : std::max(0.0, per_account - std::max(r.min_seats, x));
      });
  d[cSeats] += add - remove;
  flows[f_mrr_expansion_cents] += price * add;
  flows[f_mrr_contraction_cents] += price * remove;
}

}  // namespace

void account_flows(const Twin& twin, const State& y, State& dy) {
  const MonthRates& r = twin.rates;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const int n = twin.classes[k].size;
    for (int plan = kProspect; plan < twin.plans; ++plan) {
      const double* b = &y[twin.at(k, plan, 0)];
      const double accounts = b[cAccounts];
      if (!(accounts > 1e-300)) continue;
      const double active = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
      const Binomial a(n, active / (n * accounts));
      if (plan >= kPaid) {
        bill(twin, y, dy, k, plan - kPaid, a);
      } else if (r.self_serve) {
        count_new_pqls(twin, y, dy, k, plan, a);
        convert(twin, y, dy, k, plan, a);
      }
    }
  }
}

}  // namespace flywheel::meanfield
