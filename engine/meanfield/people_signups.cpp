// People's first steps in the twin: awareness by channel (organic, word of mouth, paid, and
// what the couplings add), signups by referral and teammate invites and by the aware's own
// channel, the aware forgetting; and an untouched account's first signup, which moves it with
// its other people to the touched plan (docs/mean_field.md "People", "Accounts").
#include "people_sweep.hpp"

#include <algorithm>

namespace flywheel::meanfield {

FLYWHEEL_SWEEP void signup_flows(const PeopleSweep& s,
                                 const std::array<double, kChannelCount>& aware_rate,
                                 double referral_rate, double signup, bool any_team_rate) {
  const Twin& twin = s.twin;
  State& dy = s.dy;
  // The rates are read into locals once: behind a reference, each store to dy could change
  // them for the compiler, which would read them again in every lane.
  const double forget = s.r.forget;
  const std::size_t lanes = s.lanes, classes = s.classes;
  const int plan = s.plan;
  const double* on = s.row(rOn);
  double* people = s.row(rPeople);
  double* flow = s.row(rFlow);
  double* first_signups = s.row(rFirstSignups);
  const double* team_rate = s.row(rTeamRate);
  double* team_signups = s.row(rTeamSignups);
  // An untouched account's first signup makes it a prospect (or a trial), its signer the first
  // signer.
  const int touched = twin.first_signup_plan;
  double* unaware_out = s.out(cUnaware);
  // Signups land in the plan's first bin of evaluators, or the touched plan's first signers'.
  double* signed_up =
      plan == kUntouched ? twin.row_of(dy, touched, kFirst, cEvaluator) : s.out(cEvaluator);
  // The window split at month ends: signups add their time to the month's end.
  double* signed_up_to_end = nullptr;
  if (twin.window_split_monthly) {
    signed_up_to_end =
        plan == kUntouched ? twin.row_of(dy, touched, kFirst, cWinToMonthEnd) : s.out(cWinToMonthEnd);
  }
  s.zero(first_signups);
  if (twin.laws.on) s.zero(team_signups);
  // Awareness by channel.
  {
    const double* unaware = s.in(cUnaware);
    #pragma GCC ivdep
    for (std::size_t k = 0; k < lanes; ++k) people[k] = on[k] * std::max(0.0, unaware[k]);
    for (int c : twin.aware_channels) {
      const double rate = aware_rate[static_cast<std::size_t>(c)];
      if (rate == 0.0) continue;
      double* aware = s.out(cAware + c);
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        flow[k] = rate * people[k];
        unaware_out[k] -= flow[k];
        aware[k] += flow[k];
      }
      s.book(f_awareness + c, flow);
    }
  }
  // Signups: invites reach the unaware and the aware, the aware also sign up by their
  // channel; the aware forget.
  const bool invites = referral_rate > 0.0 || any_team_rate;
  const double left = 1.0 - twin.month_phase;  // the window split's time to the month's end
  for (int from : twin.compartments) {
    if (from >= cEvaluator) break;
    const double* b = s.in(from);
    double* d = s.out(from);
    // The signups of the row `flow` by `channel` (invites).
    auto sign_up = [&](Channel channel) {
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        d[k] -= flow[k];
        signed_up[k] += flow[k];
        first_signups[k] += flow[k];
      }
      if (signed_up_to_end) window_split_entries(twin, signed_up_to_end, flow, lanes);
      s.book(f_signups + static_cast<int>(channel), flow);
    };
    if (invites) {
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) people[k] = on[k] * std::max(0.0, b[k]);
    }
    if (referral_rate > 0.0) {
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) flow[k] = referral_rate * people[k];
      sign_up(Channel::referral);
    }
    if (any_team_rate) {
      // None where the rate is negative (a plan's active users a rounding error below 0).
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) flow[k] = std::max(0.0, team_rate[k] * people[k]);
      if (twin.laws.on) {
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) team_signups[k] += flow[k];
      }
      sign_up(Channel::team);
    }
    if (from == cUnaware) continue;
    // The aware's signups by their channel and their forgetting, in one sweep (each lane's
    // numbers changed in that order).
    if (signup > 0.0) {
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        const double p = on[k] * std::max(0.0, b[k]);
        const double signups = signup * p;
        const double forgot = forget * p;
        d[k] -= signups;
        signed_up[k] += signups;
        first_signups[k] += signups;
        if (signed_up_to_end) signed_up_to_end[k] += left * signups;
        flow[k] = signups;
        d[k] -= forgot;
        unaware_out[k] += forgot;
      }
      s.book(f_signups + (from - cAware), flow);
    } else {
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        const double forgot = forget * (on[k] * std::max(0.0, b[k]));
        d[k] -= forgot;
        unaware_out[k] += forgot;
      }
    }
  }
  if (!twin.block_signups.empty()) {
    for (std::size_t k = 0; k < classes; ++k) {
      twin.block_signups[k * static_cast<std::size_t>(twin.plans) +
                         static_cast<std::size_t>(plan)] += first_signups[k];
    }
  }
}

FLYWHEEL_SWEEP void first_signup_moves(const PeopleSweep& s) {
  const Twin& twin = s.twin;
  State& dy = s.dy;
  const std::size_t lanes = s.lanes;
  const double* n = s.n;
  const double* accounts = s.accounts;
  const double* on = s.row(rOn);
  const double* first_signups = s.row(rFirstSignups);
  double* ratio = s.row(rRatio);
  const int touched = twin.first_signup_plan;
  // Each first signup moves its account, with its other n - 1 people (independent of
  // the signer in an untouched account), to the prospects.
  s.book(f_first_signups, first_signups);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) {
    ratio[k] = on[k] * (first_signups[k] * (n[k] - 1.0) /
                        ((on[k] != 0.0 ? accounts[k] : 1.0) * n[k]));
  }
  for (int c : twin.compartments) {
    if (c >= cEvaluator) break;
    const double* b = s.in(c);
    double* d = s.out(c);
    double* to = twin.row_of(dy, touched, kRest, c);
    #pragma GCC ivdep
    for (std::size_t k = 0; k < lanes; ++k) {
      const double moved = ratio[k] * b[k];
      d[k] -= moved;
      to[k] += moved;
    }
  }
  move_account_row(twin, dy, kUntouched, touched, first_signups);
}

}  // namespace flywheel::meanfield
