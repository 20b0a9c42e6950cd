// Trials in the twin (strategy.plg.trial; engine/model/trial.cpp): an account starts its one
// trial with its first signup (people_flows moves it into the first trial phase), the trial of
// D days is an Erlang(kTrialPhases) delay of mean D, and at its end an account with an active
// user converts with the card mode's probability; the others expire back to the prospects
// (without a free tier they lose access: move_accounts churns their active users).
#include "twin.hpp"

#include "model/trial.hpp"

#include <algorithm>

namespace flywheel::meanfield {

void trial_flows(const Twin& twin, const State& y, State& dy) {
  if (twin.trial0 < 0) return;
  const PlgSpec& plg = twin.scenario.strategy.plg;
  const TrialSpec& trial = plg.trial;
  const double months = trial.days / kDaysPerMonth;
  const double h = months > 0.0 ? kTrialPhases / months : kTrialPhases * kDaysPerMonth;
  const double conversion =
      trial.card_required ? trial.conversion_with_card : trial.conversion_without_card;
  const MonthRates& r = twin.rates;
  double* flows = &dy[twin.flows_at];
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    for (int i = 0; i < kTrialPhases; ++i) {
      const int plan = twin.trial0 + i;
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 1e-300)) continue;
      std::array<double, 2> active{};
      for (int group = kFirst; group <= kRest; ++group) {
        const People<const double> b = twin.people(y, k, plan, group);
        active[group] = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
      }
      const double moved = h * accounts;
      if (i + 1 < kTrialPhases) {
        move_accounts(twin, y, dy, k, plan, plan + 1, moved, {h * active[0], h * active[1]});
        continue;
      }
      // Expiry: every active user is in an account with one, so the converting accounts take
      // `conversion` of the block's active users.
      const HeadCount& a = twin.head(k, plan);
      const double converting = moved * conversion * (1.0 - a.pmf(0));
      const double seats = moved * conversion * a.expect([&](int x) {
        return x > 0 ? static_cast<double>(std::max(r.min_seats, x)) : 0.0;
      });
      const double c = h * conversion;
      // Under teammate invites the converting accounts are those with an active user.
      move_accounts(twin, y, dy, k, plan, twin.paid0, converting, {c * active[0], c * active[1]},
                    twin.laws.on ? law_profile(twin, k, plan, [c](int a) { return a > 0 ? c : 0.0; })
                                 : -1);
      dy[twin.seats_at(k, twin.paid0)] += seats;
      const auto segment = static_cast<std::uint8_t>(twin.classes[k].segment);
      flows[f_mrr_new_cents] += seats * static_cast<double>(twin.model.seat_price(segment, 0));
      flows[f_accounts_new] += converting;
      flows[f_trials_converted] += converting;
      book_origin(twin, y, flows, converting);
      const double expiring = moved - converting;
      const double e = h * (1.0 - conversion);
      move_accounts(twin, y, dy, k, plan, kProspect, expiring, {e * active[0], e * active[1]},
                    twin.laws.on ? law_profile(twin, k, plan, [h, c](int a) { return a > 0 ? h - c : h; })
                                 : -1);
      flows[f_trials_expired] += expiring;
    }
  }
  // Every first signup starts a trial (the untouched accounts' signups are first signups).
  flows[f_trials_started] = flows[f_first_signups];
}

}  // namespace flywheel::meanfield
