// People's flows in the twin: the month's awareness and referral hazards, then each plan's
// teammate invites and team effects on adoption and churn, then each (plan, group) through the
// flywheel's stages (docs/mean_field.md "People"): signups (people_signups.cpp), evaluators and
// active users (people_stages.cpp), sharing their rows through people_sweep.hpp. Each (plan,
// group)'s compartments are swept as rows over the size classes (Twin's layout); a class
// without accounts in the plan has no flows (its lanes are masked).
#include "people_sweep.hpp"
#include "team_effects.hpp"

#include <algorithm>
#include <array>

namespace flywheel::meanfield {

FLYWHEEL_SWEEP void move_account_row(const Twin& twin, State& dy, int from, int to,
                                     const double* moved) {
  double* from_accounts = &dy[twin.accounts_row(from)];
  double* to_accounts = &dy[twin.accounts_row(to)];
  #pragma GCC ivdep
  for (std::size_t k = 0; k < twin.lanes; ++k) {
    from_accounts[k] -= moved[k];
    to_accounts[k] += moved[k];
  }
  for (std::size_t k = 0; k < twin.classes.size(); ++k) twin.record_move(k, from, to, moved[k]);
}

FLYWHEEL_SWEEP void people_flows(const Twin& twin, const Aggregates& agg, const Couplings& with,
                                 const State& y, State& dy) {
  MonthRates r = twin.rates;  // with the couplings' multipliers
  r.activation *= with.activation;
  r.advocacy *= with.advocacy;
  for (int st = 0; st < kStageCount; ++st) r.churn[st] *= with.churn[st];
  double* flows = &dy[twin.flows_at];
  // Awareness hazards of an unaware person, by channel (channels.cpp).
  std::array<double, kChannelCount> aware_rate{};
  aware_rate[static_cast<int>(Channel::organic)] = r.innovation;
  aware_rate[static_cast<int>(Channel::word_of_mouth)] =
      twin.people_total > 0
          ? r.imitation * (agg.sources + with.extra_sources) / twin.people_total
          : 0.0;
  // Paid reach spread over the unaware, at most at once (a market the spend exhausts).
  aware_rate[static_cast<int>(Channel::paid)] =
      agg.unaware > 0 ? std::min(kAtOnce, r.paid_bought / agg.unaware) : 0.0;
  for (int c = 0; c < kChannelCount; ++c) aware_rate[c] += with.awareness[c];
  // Referral invites land on a uniformly random person and are accepted by those who can.
  const double referral_rate =
      twin.people_total > 0
          ? (r.referral_regular * agg.regulars + r.referral_champion * agg.champions) *
                r.referral_accept / twin.people_total
          : 0.0;
  const bool team_on = r.team_adoption_lift != 0.0 || r.team_churn_reduction != 0.0;

  const std::size_t lanes = twin.lanes, classes = twin.classes.size();
  const double* n = twin.sizes.data();
  double* on = twin.scratch_row(rOn);
  double* team_rate = twin.scratch_row(rTeamRate);
  double* pi1 = twin.scratch_row(rPi1);

  for (int plan = 0; plan < twin.plans; ++plan) {
    const double* accounts = &y[twin.accounts_row(plan)];
    #pragma GCC ivdep
    for (std::size_t k = 0; k < lanes; ++k) on[k] = accounts[k] > 0.0 ? 1.0 : 0.0;
    if (!(lane_sum(on, lanes) > 0.0)) continue;
    const bool access = twin.access(plan);
    // Teammate invites: the plan's mean active users per account; team effects: an active
    // first signer's teammates are the others, Binomial(n - 1, pi2); an active other's are the
    // first signer (active with pi1) and n - 2 others.
    {
      const double* b1 = twin.row_of(y, plan, kFirst, cBeginner);
      const double* r1 = twin.row_of(y, plan, kFirst, cRegular);
      const double* c1 = twin.row_of(y, plan, kFirst, cChampion);
      const double* b2 = twin.row_of(y, plan, kRest, cBeginner);
      const double* r2 = twin.row_of(y, plan, kRest, cRegular);
      const double* c2 = twin.row_of(y, plan, kRest, cChampion);
      const double invites = access ? r.teammate_invites : 0.0;
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        const double first_active = b1[k] + r1[k] + c1[k];
        const double active = first_active + (b2[k] + r2[k] + c2[k]);
        const bool live = on[k] != 0.0;
        team_rate[k] = live && n[k] > 1.0 && invites > 0.0
                           ? invites * (active / accounts[k]) / (n[k] - 1.0)
                           : 0.0;
        pi1[k] = live ? std::clamp(first_active / accounts[k], 0.0, 1.0) : 0.0;
      }
      // Under the others' law (teammate invites) an invitee's account has the mean active users
      // weighted by people not active: invites feed on themselves (invite_laws.hpp).
      if (twin.laws.on && invites > 0.0) {
        for (std::size_t k = 0; k < classes; ++k) {
          if (team_rate[k] == 0.0) continue;
          const double active = b1[k] + r1[k] + c1[k] + (b2[k] + r2[k] + c2[k]);
          team_rate[k] =
              invites * invite_mean(twin, k, plan, active / accounts[k]) / (n[k] - 1.0);
        }
      }
    }
    // Team effects on adoption and churn of active first signers and others, per class.
    {
      double* first_adoption = twin.scratch_row(rTeam);
      double* first_churn = first_adoption + lanes;
      double* other_adoption = first_churn + lanes;
      double* other_churn = other_adoption + lanes;
      for (std::size_t k = 0; k < lanes; ++k) {
        TeamEffects team;
        if (team_on && k < classes && on[k] != 0.0 && twin.classes[k].size >= 2) {
          const std::size_t at = twin.team_at[k];
          const HeadCount& head = twin.head(k, plan);
          // Under teammate invites the others' laws given the first signer (invite_laws.hpp).
          team = head.joint()
                     ? team_effects(head, &twin.team_adoption[at], &twin.team_churn[at])
                     : team_effects(head.others(0), pi1[k], &twin.team_adoption[at],
                                    &twin.team_churn[at]);
        }
        first_adoption[k] = team.first.adoption;
        first_churn[k] = team.first.churn;
        other_adoption[k] = team.other.adoption;
        other_churn[k] = team.other.churn;
      }
    }
    bool any_team_rate = false;
    #pragma GCC ivdep
    for (std::size_t k = 0; k < lanes; ++k) any_team_rate = any_team_rate || team_rate[k] > 0.0;
    const double signup = access ? r.signup : r.signup * with.signup_no_access;

    for (int group = kFirst; group <= kRest; ++group) {
      const PeopleSweep s{twin, y, dy, r, flows, lanes, classes, n, plan, group, accounts, access};
      signup_flows(s, aware_rate, referral_rate, signup, any_team_rate);
      if (plan == kUntouched) {
        first_signup_moves(s);
        continue;  // nobody else is in an untouched account
      }
      evaluator_flows(s);
      active_user_flows(s);
    }
  }
}

}  // namespace flywheel::meanfield
