// Contracts won by sales in the twin (engine/model/contracts.cpp): seats max(1, round(share x
// people)) at the contract price, onboarding up to the seats billed, a term of
// contract_term_months as an Erlang(kTermPhases) delay, renewal with renewal_rate when the
// account has an active user (seats trued to its active users), else a lapse into cooling off;
// a ramped deal's missing seats arrive at a rate that bills the same seat-months as the agent
// model's monthly waves; in-term true-ups at the rate 1 / true_up_months (docs/mean_field.md
// "Trials and sales").
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

const SegmentSales& deal_of(const Twin& twin, std::size_t k) {
  return twin.scenario.market.segments[static_cast<std::size_t>(twin.classes[k].segment)].sales;
}

double contract_price(const Twin& twin, std::size_t k) {
  return static_cast<double>(twin.model.deals[static_cast<std::size_t>(twin.classes[k].segment)]
                                 .contract_price_cents);
}

bool ramped(const Twin& twin, std::size_t k) {
  return twin.model.ramp_months > 0 && deal_of(twin, k).ramp_start_share < 1.0;
}

// Onboards `people` people of the block (k, plan) who are not active as beginners, taken from
// its groups and compartments in proportion to `source`'s people not active.
void onboard(const Twin& twin, const State& y, State& dy, std::size_t k, int source, int plan,
             double people) {
  if (!(people > 0.0)) return;
  std::array<double, 2> idle{};
  for (int group = kFirst; group <= kRest; ++group) {
    const People<const double> b = twin.people(y, k, source, group);
    for (int c : twin.compartments) {
      // The window split's rows are not people: they shrink with the evaluators (below).
      if (c <= cChurnedEver && !is_active_compartment(c)) idle[group] += std::max(0.0, b[c]);
    }
  }
  const double total = idle[0] + idle[1];
  if (!(total > 0.0)) return;
  people = std::min(people, total);
  for (int group = kFirst; group <= kRest; ++group) {
    if (!(idle[group] > 0.0)) continue;
    const People<const double> b = twin.people(y, k, source, group);
    const People<double> t = twin.people(dy, k, plan, group);
    const double x = people * idle[group] / total;
    for (int c : twin.compartments) {
      if (!is_active_compartment(c)) t[c] -= x * std::max(0.0, b[c]) / idle[group];
    }
    t[cBeginner] += x;
  }
  dy[twin.flows_at + f_onboarded_users] += people;
}

}  // namespace

void start_contracts(const Twin& twin, const State& y, State& dy, std::size_t k, int from,
                     double won, std::array<double, 2> active) {
  if (!(won > 0.0)) return;
  const SegmentSales& deal = deal_of(twin, k);
  const int n = twin.classes[k].size;
  const int seats = std::max(1, static_cast<int>(std::lround(deal.contract_seat_share * n)));
  const int billed =
      ramped(twin, k)
          ? std::clamp(static_cast<int>(std::lround(deal.ramp_start_share * seats)), 1, seats)
          : seats;
  // Onboarding: people not active, each with onboarding_share, until the active users number
  // the seats billed: min(billed - a, onboarding_share (n - a)) by the account's head count a.
  const double share = twin.scenario.strategy.slg.onboarding_share;
  const double per_account = twin.head(k, from).expect([&](int a) {
    return std::max(0.0, std::min(static_cast<double>(billed - a), share * (n - a)));
  });
  move_accounts(twin, y, dy, k, from, twin.contract0, won, active);
  // The moved accounts' people not active: the source block's, a share won / accounts of them.
  onboard(twin, y, dy, k, from, twin.contract0, won * per_account);
  dy[twin.seats_at(k, twin.contract0)] += won * billed;
  dy[twin.ramp_at + k] += won * (seats - billed);
  double* flows = &dy[twin.flows_at];
  flows[f_mrr_new_cents] += won * billed * contract_price(twin, k);
  flows[f_accounts_new] += won;
  flows[f_accounts_new_by + static_cast<int>(Channel::sales)] += won;
}

void contract_flows(const Twin& twin, const State& y, State& dy) {
  if (twin.contract0 < 0) return;
  const SlgSpec& slg = twin.scenario.strategy.slg;
  const double h = kTermPhases / std::max(1e-6, static_cast<double>(slg.contract_term_months));
  const double release = 2.0 / (twin.model.ramp_months + 1.0);  // per missing seat, a month
  double* flows = &dy[twin.flows_at];
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const SegmentSales& deal = deal_of(twin, k);
    if (!deal.sold) continue;
    const double price = contract_price(twin, k);
    for (int i = 0; i < kTermPhases; ++i) {
      const int plan = twin.contract0 + i;
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 1e-300)) continue;
      const double per_account = std::max(0.0, y[twin.seats_at(k, plan)]) / accounts;
      std::array<double, 2> active{};
      for (int group = kFirst; group <= kRest; ++group) {
        const People<const double> b = twin.people(y, k, plan, group);
        active[group] = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
      }
      const double moving = h * accounts;
      if (slg.true_up_months > 0) {
        // In-term true-ups every true_up_months, as a rate: seats raised to the active users
        // where these are more (the block's mean seats against the closure's head count).
        const double rate = 1.0 / slg.true_up_months;
        const HeadCount& a = twin.head(k, plan);
        const double up = rate * accounts * a.expect([&](int x) {
          return std::max(0.0, x - per_account);
        });
        dy[twin.seats_at(k, plan)] += up;
        flows[f_mrr_expansion_cents] += up * price;
        flows[f_contract_true_ups] +=
            rate * accounts * a.expect([&](int x) { return x > per_account ? 1.0 : 0.0; });
      }
      if (i + 1 < kTermPhases) {
        move_accounts(twin, y, dy, k, plan, plan + 1, moving, {h * active[0], h * active[1]});
        dy[twin.seats_at(k, plan)] -= per_account * moving;
        dy[twin.seats_at(k, plan + 1)] += per_account * moving;
        continue;
      }
      // Term end: renewal with an active user (seats trued to the active users), else a lapse.
      const HeadCount& a = twin.head(k, plan);
      const double p = deal.renewal_rate;
      const double renewing = moving * p * (1.0 - a.pmf(0));
      const double seats_after = moving * p * a.expect([](int x) { return double(x); });
      const double up = moving * p * a.expect([&](int x) {
        return std::max(0.0, x - per_account);
      });
      const double down = moving * p * a.expect([&](int x) {
        return x > 0 ? std::max(0.0, per_account - x) : 0.0;
      });
      move_accounts(twin, y, dy, k, plan, twin.contract0, renewing,
                    {h * p * active[0], h * p * active[1]});
      dy[twin.seats_at(k, plan)] -= per_account * renewing;
      dy[twin.seats_at(k, twin.contract0)] += seats_after;
      flows[f_mrr_expansion_cents] += up * price;
      flows[f_mrr_contraction_cents] += down * price;
      flows[f_contracts_renewed] += renewing;
      const double lapsing = moving - renewing;
      // Under teammate invites the lapsing accounts by their head count (none active: all).
      move_accounts(twin, y, dy, k, plan, twin.cool_plan, lapsing,
                    {h * (1.0 - p) * active[0], h * (1.0 - p) * active[1]},
                    twin.laws.on ? law_profile(twin, k, plan,
                                               [h, p](int a) { return a > 0 ? h * (1.0 - p) : h; })
                                 : -1);
      dy[twin.seats_at(k, plan)] -= per_account * lapsing;
      flows[f_mrr_churned_cents] += per_account * lapsing * price;
      flows[f_accounts_churned] += lapsing;
      flows[f_contracts_lapsed] += lapsing;
    }
    // Ramp: the missing seats of ramped deals billed as they arrive, each wave's rollout
    // onboarding people into them.
    const double missing = std::max(0.0, y[twin.ramp_at + k]);
    if (missing > 0.0 && ramped(twin, k)) {
      const double added = release * missing;
      dy[twin.ramp_at + k] -= added;
      dy[twin.seats_at(k, twin.contract0)] += added;
      flows[f_mrr_expansion_cents] += added * price;
      onboard(twin, y, dy, k, twin.contract0, twin.contract0, added);
    }
  }
}

}  // namespace flywheel::meanfield
