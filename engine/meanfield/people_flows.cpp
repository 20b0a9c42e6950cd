// People's flows in the twin: the channels, the flywheel's stages with their competing hazards,
// the activation window as an Erlang chain, referrals, teammate invites and the team effects on
// adoption and churn (docs/mean_field.md "People").
#include "binomial.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

// The team-effect multipliers of an active user's adoption and churn in an account of n people:
// the agent model's rules by the share of active teammates in quarters, averaged over the
// number of active teammates.
struct TeamEffect {
  double adoption = 1.0, churn = 1.0;
};

// The quarter floor(4 a / mates + 1/2) (rounded half up, at most 4) of a active teammates.
int quarter(int a, int mates) { return std::min(4, (8 * a + mates) / (2 * mates)); }

// scale x sum over x of pmf(x) (or x pmf(x) when size_biased), by the quarter of x + shift
// active teammates of `mates`, from the distribution's running sums. Quarter q starts at
// a = ceil((2 q - 1) mates / 8) active teammates.
void add_by_quarter(std::array<double, 5>& out, const Binomial& x, int mates, int shift,
                    double scale, bool size_biased) {
  int from = x.lo();
  for (int q = 0; q <= 4; ++q) {
    const int to = q < 4 ? ((2 * (q + 1) - 1) * mates + 7) / 8 - shift - 1 : x.hi();
    if (to >= from) {
      out[static_cast<std::size_t>(q)] +=
          scale * (size_biased ? x.first_moment(from, to) : x.mass(from, to));
      from = to + 1;
    }
  }
}

TeamEffect effect_of(const MonthRates& r, const std::array<double, 5>& by_quarter) {
  TeamEffect e{0.0, 0.0};
  for (int q = 0; q <= 4; ++q) {
    const double p = by_quarter[static_cast<std::size_t>(q)], share = q / 4.0;
    e.adoption += p * (1.0 + r.team_adoption_lift * share);
    e.churn += p * std::max(0.0, 1.0 - r.team_churn_reduction * share);
  }
  return e;
}

// An active first signer: its n - 1 teammates are the others, `others` of them active.
TeamEffect first_signer_effect(const MonthRates& r, const Binomial& others) {
  const int mates = others.n();
  std::array<double, 5> by_quarter{};
  add_by_quarter(by_quarter, others, mates, 0, 1.0, false);
  return effect_of(r, by_quarter);
}

// An active other person: its teammates are the first signer (active with pi1) and n - 2
// others, Binomial(n - 2, pi2). That is the size-biased law of the others' Binomial(n - 1, pi2)
// shifted by one (pmf_{n-2}(j) = (j + 1) pmf_{n-1}(j + 1) / ((n - 1) pi2)), so the block's
// head count serves without a second distribution; so it does for any law of the others given
// the first signer (teammate invites: invite_laws.hpp).
TeamEffect other_effect(const MonthRates& r, const HeadCount& head) {
  const Binomial& idle = head.others(0);
  const Binomial& busy = head.others(1);
  const double pi1 = head.pi1();
  const int mates = idle.n();
  std::array<double, 5> by_quarter{};
  const double mean = head.joint() ? (1.0 - pi1) * idle.mean() + pi1 * busy.mean() : idle.mean();
  if (!(mean > 0.0)) {  // no active other: the teammates' actives are the first signer
    by_quarter[static_cast<std::size_t>(quarter(0, mates))] += 1.0 - pi1;
    by_quarter[static_cast<std::size_t>(quarter(1, mates))] += pi1;
    return effect_of(r, by_quarter);
  }
  // x active others of which this person is one: x - 1 active other teammates, + the signer.
  add_by_quarter(by_quarter, idle, mates, -1, (1.0 - pi1) / mean, true);
  add_by_quarter(by_quarter, busy, mates, 0, pi1 / mean, true);
  return effect_of(r, by_quarter);
}

// Evaluators: activation (into `activated`'s beginners) and churn; the window's dropouts are
// the conveyor's (Twin::shift_window). Returns the activations.
double evaluate(const MonthRates& r, bool access, const double* b, double* d, double* activated,
                double* flows) {
  const double activation = access ? r.activation : 0.0;
  double activations = 0.0;
  for (int i = 0; i < kWindowBins; ++i) {
    const double e = std::max(0.0, b[cEvaluator + i]);
    if (e == 0.0) continue;
    const double act = activation * e, churn = r.churn[int(Stage::evaluator)] * e;
    d[cEvaluator + i] -= act + churn;
    activated[cBeginner] += act;
    activations += act;
    d[cChurnedNever] += churn;
    flows[f_activations] += act;
    flows[f_churn_by_stage + int(Stage::evaluator)] += churn;
  }
  return activations;
}

// Active users (adoption, advocacy, churn: paid plans x paid_churn_multiplier, team effects)
// and churned people coming back (as evaluators if they never activated, else as beginners).
// Returns the people who stop being active users (churn) and who become active again
// (reactivation after having activated), a month.
std::array<double, 2> use(const MonthRates& r, bool access, bool paid, const TeamEffect& team,
                          const double* b, double* d, double* flows) {
  double churned = 0.0;
  const double churn_mult = (paid ? r.paid_churn : 1.0) * team.churn;
  auto churn_out = [&](int comp, Stage stage) {
    const double f = r.churn[int(stage)] * churn_mult * std::max(0.0, b[comp]);
    d[comp] -= f;
    d[cChurnedEver] += f;
    flows[f_churn_by_stage + int(stage)] += f;
    churned += f;
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
  const double reactivation = access ? r.reactivation : 0.0;
  const double back_never = reactivation * std::max(0.0, b[cChurnedNever]);
  const double back_ever = reactivation * std::max(0.0, b[cChurnedEver]);
  d[cChurnedNever] -= back_never;
  d[cEvaluator] += back_never;
  d[cChurnedEver] -= back_ever;
  d[cBeginner] += back_ever;
  flows[f_reactivations] += back_never + back_ever;
  return {churned, back_ever};
}

}  // namespace

void people_flows(const Twin& twin, const Aggregates& agg, const Couplings& with, const State& y,
                  State& dy) {
  MonthRates r = twin.rates;  // with the couplings' multipliers
  r.activation *= with.activation;
  r.advocacy *= with.advocacy;
  for (int st = 0; st < kStageCount; ++st) r.churn[st] *= with.churn[st];
  double* flows = &dy[twin.flows_at];
  const double dt = twin.model.time.step_months();
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

  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const int n = twin.classes[k].size;
    for (int plan = 0; plan < twin.plans; ++plan) {
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 0.0)) continue;
      const bool access = twin.access(plan);
      const double* first = &y[twin.person(k, plan, kFirst, 0)];
      const double* rest = &y[twin.person(k, plan, kRest, 0)];
      const double first_active = first[cBeginner] + first[cRegular] + first[cChampion];
      const double rest_active = rest[cBeginner] + rest[cRegular] + rest[cChampion];
      const double active = first_active + rest_active;
      // An untouched account's first signup makes it a prospect, its signer the first signer.
      const int touched = twin.first_signup_plan;
      double* signup_to = plan == kUntouched ? &dy[twin.person(k, touched, kFirst, 0)]
                                             : nullptr;
      // The active users an invitee's account has: the block's mean, or under the others' law
      // the mean weighted by people not active (invites feed on themselves: invite_laws.hpp).
      const double team_rate =
          access && n > 1 && r.teammate_invites > 0.0
              ? r.teammate_invites * invite_mean(twin, k, plan, active / accounts) / (n - 1)
              : 0.0;
      // Team effects: an active first signer's teammates are the others, Binomial(n - 1, pi2);
      // an active other's are the first signer (active with pi1) and n - 2 others (the head
      // count's, pi1 = first_active / accounts).
      for (int group = kFirst; group <= kRest; ++group) {
        const double* b = group == kFirst ? first : rest;
        double* d = &dy[twin.person(k, plan, group, 0)];
        double first_signups = 0.0, team_signups = 0.0;
        auto sign_up = [&](int from, double amount, Channel channel) {
          if (!(amount > 0.0)) return;
          d[from] -= amount;
          (signup_to ? signup_to : d)[cEvaluator] += amount;
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
          team_signups += team_rate * people;
          if (from == cUnaware) continue;
          const double signup = access ? r.signup : r.signup * with.signup_no_access;
          sign_up(from, signup * people, static_cast<Channel>(from - cAware));
          d[from] -= r.forget * people;
          d[cUnaware] += r.forget * people;
        }
        if (!twin.block_signups.empty()) {
          twin.block_signups[k * static_cast<std::size_t>(twin.plans) + plan] += first_signups;
        }
        if (plan == kUntouched) {
          // Each first signup moves its account, with its other n - 1 people (independent of
          // the signer in an untouched account), to the prospects.
          double* to = &dy[twin.person(k, touched, kRest, 0)];
          flows[f_first_signups] += first_signups;
          const double per_person = first_signups * (n - 1) / (accounts * n);
          for (int c = cUnaware; c < cEvaluator; ++c) {
            d[c] -= per_person * b[c];
            to[c] += per_person * b[c];
          }
          dy[twin.accounts_at(k, kUntouched)] -= first_signups;
          dy[twin.accounts_at(k, touched)] += first_signups;
          twin.record_move(k, kUntouched, touched, first_signups);
          continue;  // nobody else is in an untouched account
        }
        double activated = 0.0;
        if (plan == kProspect && group == kFirst) {
          // A prospect's first signer activating makes the account engaged: it moves with its
          // other people (its mean share of the block's), where invites and teams grow.
          double* engaged = &dy[twin.person(k, kEngaged, kFirst, 0)];
          const double moved = evaluate(r, access, b, d, engaged, flows);
          activated = moved;
          const double* others = &y[twin.person(k, kProspect, kRest, 0)];
          double* from = &dy[twin.person(k, kProspect, kRest, 0)];
          double* to = &dy[twin.person(k, kEngaged, kRest, 0)];
          for (int c = 0; c < kPersonCompartments; ++c) {
            const double f = moved / accounts * std::max(0.0, others[c]);
            from[c] -= f;
            to[c] += f;
          }
          dy[twin.accounts_at(k, kProspect)] -= moved;
          dy[twin.accounts_at(k, kEngaged)] += moved;
          twin.record_move(k, kProspect, kEngaged, moved);
        } else {
          activated = evaluate(r, access, b, d, d, flows);
        }
        const bool team_on = r.team_adoption_lift != 0.0 || r.team_churn_reduction != 0.0;
        const TeamEffect team =
            !team_on || n < 2 ? TeamEffect{}
            : group == kFirst ? first_signer_effect(r, twin.head(k, plan).others(1))
                              : other_effect(r, twin.head(k, plan));
        const std::array<double, 2> turnover = use(r, access, twin.pays(plan), team, b, d, flows);
        std::array<double, 4>& changes = twin.active_changes[k * static_cast<std::size_t>(twin.plans) + plan];
        changes[static_cast<std::size_t>(group)] = activated + turnover[1];
        changes[static_cast<std::size_t>(2 + group)] = turnover[0];
        if (group == kRest && twin.laws.on) {  // what the others' law spreads (invite_laws.hpp)
          twin.laws.signups[k * static_cast<std::size_t>(twin.plans) + plan] = {
              team_signups, first_signups, activated};
        }
        // Exposure in half steps: the trapezoid of the agent model, 2 active / dt a month.
        flows[f_user_halfsteps] += 2.0 / dt * (b[cBeginner] + b[cRegular] + b[cChampion]);
        flows[f_beginner_halfsteps] += 2.0 / dt * b[cBeginner];
        flows[f_champion_halfsteps] += 2.0 / dt * b[cChampion];
      }
    }
  }
}

}  // namespace flywheel::meanfield
