// People's flows in the twin: the channels, the flywheel's stages with their competing hazards,
// the activation window as an Erlang chain, referrals, teammate invites and the team effects on
// adoption and churn (docs/mean_field.md "People").
#include "binomial.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

// The team-effect multipliers of an active user's adoption and churn in an account of n people
// whose people are active with probability pi: the agent model's rules by the share of active
// teammates in quarters, averaged over Binomial(n - 1, pi) teammates.
struct TeamEffect {
  double adoption = 1.0, churn = 1.0;
};

TeamEffect team_effect(const MonthRates& r, int n, double pi) {
  if ((r.team_adoption_lift == 0.0 && r.team_churn_reduction == 0.0) || n < 2) return {};
  const Binomial others(n - 1, pi);
  TeamEffect e{0.0, 0.0};
  for (int x = others.lo(); x <= others.hi(); ++x) {
    const double share = std::lround(std::min(1.0, double(x) / (n - 1)) * 4) / 4.0;
    e.adoption += others.pmf(x) * (1.0 + r.team_adoption_lift * share);
    e.churn += others.pmf(x) * std::max(0.0, 1.0 - r.team_churn_reduction * share);
  }
  return e;
}

}  // namespace

void people_flows(const Twin& twin, const Aggregates& agg, const State& y, State& dy) {
  const MonthRates& r = twin.rates;
  double* flows = &dy[twin.flows_at];
  const double dt = twin.model.time.step_months();
  // Awareness hazards of an unaware person, by channel (channels.cpp).
  std::array<double, kChannelCount> aware_rate{};
  aware_rate[static_cast<int>(Channel::organic)] = r.innovation;
  aware_rate[static_cast<int>(Channel::word_of_mouth)] =
      twin.people_total > 0 ? r.imitation * agg.sources / twin.people_total : 0.0;
  aware_rate[static_cast<int>(Channel::paid)] = agg.unaware > 0 ? r.paid_bought / agg.unaware : 0.0;
  // Referral invites land on a uniformly random person and are accepted by those who can.
  const double referral_rate =
      twin.people_total > 0
          ? (r.referral_regular * agg.regulars + r.referral_champion * agg.champions) *
                r.referral_accept / twin.people_total
          : 0.0;

  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const int n = twin.classes[k].size;
    for (int plan = 0; plan < twin.plans; ++plan) {
      const double* b = &y[twin.at(k, plan, 0)];
      double* d = &dy[twin.at(k, plan, 0)];
      const double accounts = b[cAccounts];
      if (!(accounts > 0.0)) continue;
      const bool access = twin.access(plan);
      const double active = b[cBeginner] + b[cRegular] + b[cChampion];
      // Signups of an untouched account make it a prospect: they land in its block.
      double* signup_to = plan == kUntouched ? &dy[twin.at(k, kProspect, 0)] : d;
      double first_signups = 0.0;

      // Unaware and aware people: awareness, signups, forgetting, invites.
      const double team_rate = access && n > 1 && r.teammate_invites > 0.0
                                   ? r.teammate_invites * (active / accounts) / (n - 1)
                                   : 0.0;
      auto sign_up = [&](int from, double amount, Channel channel) {
        d[from] -= amount;
        signup_to[cEvaluator] += amount;
        flows[f_signups + static_cast<int>(channel)] += amount;
        first_signups += amount;
      };
      const double unaware = std::max(0.0, b[cUnaware]);
      for (int c = 0; c < kChannelCount; ++c) {
        const double f = aware_rate[c] * unaware;
        if (f == 0.0) continue;
        d[cUnaware] -= f;
        d[cAware + c] += f;
        flows[f_awareness + c] += f;
      }
      for (int from = cUnaware; from < cEvaluator; ++from) {
        const double people = std::max(0.0, b[from]);
        if (people == 0.0) continue;
        sign_up(from, referral_rate * people, Channel::referral);
        sign_up(from, team_rate * people, Channel::team);
        if (from == cUnaware) continue;
        sign_up(from, r.signup * people, static_cast<Channel>(from - cAware));
        d[from] -= r.forget * people;
        d[cUnaware] += r.forget * people;
      }
      if (plan == kUntouched) {
        // Each first signup moves its account, with its other n - 1 people (independent of
        // the signer in an untouched account), to the prospects.
        double* to = &dy[twin.at(k, kProspect, 0)];
        flows[f_first_signups] += first_signups;
        const double per_person = first_signups * (n - 1) / (accounts * n);
        for (int c = cUnaware; c < cEvaluator; ++c) {
          d[c] -= per_person * b[c];
          to[c] += per_person * b[c];
        }
        d[cAccounts] -= first_signups;
        to[cAccounts] += first_signups;
        continue;  // nobody else is in an untouched account
      }

      // Evaluators: activation, churn, the window's phases and the dropouts at its end.
      const double activation = access ? r.activation : 0.0;
      const double reactivation = access ? r.reactivation : 0.0;
      for (int i = 0; i < kWindowPhases; ++i) {
        const double e = std::max(0.0, b[cEvaluator + i]);
        if (e == 0.0) continue;
        const double act = activation * e, churn = r.churn[int(Stage::evaluator)] * e;
        d[cEvaluator + i] -= act + churn;
        d[cBeginner] += act;
        d[cChurnedNever] += churn;
        flows[f_activations] += act;
        flows[f_churn_by_stage + int(Stage::evaluator)] += churn;
        if (r.window_phase > 0.0) {
          const double pass = r.window_phase * e;
          d[cEvaluator + i] -= pass;
          if (i + 1 < kWindowPhases) {
            d[cEvaluator + i + 1] += pass;
          } else {
            d[cChurnedNever] += pass;
            flows[f_evaluator_dropouts] += pass;
          }
        }
      }
      // Active users: adoption, advocacy, churn (paid plans x paid_churn_multiplier, teams).
      const TeamEffect team = team_effect(r, n, active / (n * accounts));
      const double churn_mult = (plan >= kPaid ? r.paid_churn : 1.0) * team.churn;
      auto churn_out = [&](int comp, Stage stage) {
        const double f = r.churn[int(stage)] * churn_mult * std::max(0.0, b[comp]);
        d[comp] -= f;
        d[cChurnedEver] += f;
        flows[f_churn_by_stage + int(stage)] += f;
      };
      const double adopt = r.adoption * team.adoption * std::max(0.0, b[cBeginner]);
      const double advocate = r.advocacy * std::max(0.0, b[cRegular]);
      d[cBeginner] -= adopt;
      d[cRegular] += adopt - advocate;
      d[cChampion] += advocate;
      flows[f_adoptions] += adopt;
      flows[f_advocacies] += advocate;
      churn_out(cBeginner, Stage::beginner);
      churn_out(cRegular, Stage::regular);
      churn_out(cChampion, Stage::champion);
      // Churned people come back: as evaluators if they never activated, else as beginners.
      const double back_never = reactivation * std::max(0.0, b[cChurnedNever]);
      const double back_ever = reactivation * std::max(0.0, b[cChurnedEver]);
      d[cChurnedNever] -= back_never;
      d[cEvaluator] += back_never;
      d[cChurnedEver] -= back_ever;
      d[cBeginner] += back_ever;
      flows[f_reactivations] += back_never + back_ever;
      // Exposure in half steps: the trapezoid of the agent model, 2 active / dt a month.
      flows[f_user_halfsteps] += 2.0 / dt * active;
      flows[f_beginner_halfsteps] += 2.0 / dt * b[cBeginner];
      flows[f_champion_halfsteps] += 2.0 / dt * b[cChampion];
    }
  }
}

}  // namespace flywheel::meanfield
