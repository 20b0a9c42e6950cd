// People's flows in the twin: the channels, the flywheel's stages with their competing hazards,
// the activation window's evaluators, referrals, teammate invites and the team effects on
// adoption and churn (docs/mean_field.md "People"). Each (plan, group)'s compartments are swept
// as rows over the size classes (Twin's layout); a class without accounts in the plan has no
// flows (its lanes are masked).
#include "lanes.hpp"
#include "team_effects.hpp"
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {

// Scratch rows of Twin (one number per class).
enum Row : int {
  rOn,            // 1 where the plan has accounts in the class, else 0
  rPeople,        // the compartment's people being swept, masked
  rFlow,          // a flow being swept, before its sum
  rFirstSignups,  // the group's signups (an untouched account's are its first)
  rActivated,     // activations (evaluators becoming beginners)
  rDropped,       // evaluators churning
  rChurned,       // active users churning
  rBackEver,      // churned people who had activated coming back as beginners
  rTeamRate,      // teammate invites per person not signed up
  rPi1,           // the first signer's chance to be active
  rAdoption,      // team effect on adoption
  rChurnMult,     // churn multiplier: paid plans, team effect
  rRatio,         // a move's share of the block
  rTeamSignups,   // the group's team signups (teammate invites' laws only)
  rTeam,          // team effects: first signers' adoption, churn, others' adoption, churn
  rRows = rTeam + 4
};
static_assert(rRows <= static_cast<int>(Twin::kScratchRows));

// moved[k] accounts of class k go from plan `from` to `to` (their people are moved by the
// caller, compartment by compartment), booked for the annual cohorts and the laws.
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

}  // namespace

FLYWHEEL_SWEEP void people_flows(const Twin& twin, const Aggregates& agg, const Couplings& with,
                                 const State& y, State& dy) {
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
  const bool team_on = r.team_adoption_lift != 0.0 || r.team_churn_reduction != 0.0;

  const std::size_t lanes = twin.lanes, classes = twin.classes.size();
  const double* n = twin.sizes.data();
  double* on = twin.scratch_row(rOn);
  double* people = twin.scratch_row(rPeople);
  double* flow = twin.scratch_row(rFlow);
  double* first_signups = twin.scratch_row(rFirstSignups);
  double* activated = twin.scratch_row(rActivated);
  double* dropped = twin.scratch_row(rDropped);
  double* churned = twin.scratch_row(rChurned);
  double* back_ever = twin.scratch_row(rBackEver);
  double* team_rate = twin.scratch_row(rTeamRate);
  double* pi1 = twin.scratch_row(rPi1);
  double* adoption = twin.scratch_row(rAdoption);
  double* churn_mult = twin.scratch_row(rChurnMult);
  double* ratio = twin.scratch_row(rRatio);
  double* team_signups = twin.scratch_row(rTeamSignups);
  auto zero = [lanes](double* x) { std::fill(x, x + lanes, 0.0); };
  // Adds the swept flow row to the month's counter.
  auto book = [&](int counter, const double* x) { flows[counter] += lane_sum(x, lanes); };
  // An untouched account's first signup makes it a prospect (or a trial), its signer the first
  // signer.
  const int touched = twin.first_signup_plan;

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
      auto in = [&](int c) { return twin.row_of(y, plan, group, c); };
      auto out = [&](int c) { return twin.row_of(dy, plan, group, c); };
      double* unaware_out = out(cUnaware);
      // Signups land in the plan's first bin of evaluators, or the touched plan's first signers'.
      double* signed_up =
          plan == kUntouched ? twin.row_of(dy, touched, kFirst, cEvaluator) : out(cEvaluator);
      zero(first_signups);
      if (twin.laws.on) zero(team_signups);
      // Awareness by channel.
      {
        const double* unaware = in(cUnaware);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) people[k] = on[k] * std::max(0.0, unaware[k]);
        for (int c : twin.aware_channels) {
          const double rate = aware_rate[static_cast<std::size_t>(c)];
          if (rate == 0.0) continue;
          double* aware = out(cAware + c);
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            flow[k] = rate * people[k];
            unaware_out[k] -= flow[k];
            aware[k] += flow[k];
          }
          book(f_awareness + c, flow);
        }
      }
      // Signups: invites reach the unaware and the aware, the aware also sign up by their
      // channel; the aware forget.
      for (int from : twin.compartments) {
        if (from >= cEvaluator) break;
        const double* b = in(from);
        double* d = out(from);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) people[k] = on[k] * std::max(0.0, b[k]);
        // The signups of the row `flow` by `channel`.
        auto sign_up = [&](Channel channel) {
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            d[k] -= flow[k];
            signed_up[k] += flow[k];
            first_signups[k] += flow[k];
          }
          book(f_signups + static_cast<int>(channel), flow);
        };
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
        if (signup > 0.0) {
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) flow[k] = signup * people[k];
          sign_up(static_cast<Channel>(from - cAware));
        }
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          const double forgot = r.forget * people[k];
          d[k] -= forgot;
          unaware_out[k] += forgot;
        }
      }
      if (!twin.block_signups.empty()) {
        for (std::size_t k = 0; k < classes; ++k) {
          twin.block_signups[k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan)] +=
              first_signups[k];
        }
      }
      if (plan == kUntouched) {
        // Each first signup moves its account, with its other n - 1 people (independent of
        // the signer in an untouched account), to the prospects.
        book(f_first_signups, first_signups);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          ratio[k] = on[k] * (first_signups[k] * (n[k] - 1.0) /
                              ((on[k] != 0.0 ? accounts[k] : 1.0) * n[k]));
        }
        for (int c : twin.compartments) {
          if (c >= cEvaluator) break;
          const double* b = in(c);
          double* d = out(c);
          double* to = twin.row_of(dy, touched, kRest, c);
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            const double moved = ratio[k] * b[k];
            d[k] -= moved;
            to[k] += moved;
          }
        }
        move_account_row(twin, dy, kUntouched, touched, first_signups);
        continue;  // nobody else is in an untouched account
      }
      // Evaluators: activation (a prospect's first signer activating makes it engaged) and
      // churn; the window's dropouts are the conveyor's (Twin::shift_window).
      const bool engages = plan == kProspect && group == kFirst;
      double* beginners_to = engages ? twin.row_of(dy, kEngaged, kFirst, cBeginner) : out(cBeginner);
      {
        const double activation = access ? r.activation : 0.0;
        const double churn = r.churn[int(Stage::evaluator)];
        double* churned_never = out(cChurnedNever);
        zero(activated);
        zero(dropped);
        for (int i = 0; i < twin.bins; ++i) {
          const double* b = in(cEvaluator + i);
          double* d = out(cEvaluator + i);
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            const double e = on[k] * std::max(0.0, b[k]);
            const double act = activation * e, out_churn = churn * e;
            d[k] -= act + out_churn;
            beginners_to[k] += act;
            activated[k] += act;
            churned_never[k] += out_churn;
            dropped[k] += out_churn;
          }
        }
        book(f_activations, activated);
        book(f_churn_by_stage + int(Stage::evaluator), dropped);
      }
      if (engages) {
        // The engaged account moves with its other people (its mean share of the block's),
        // where invites and teams grow.
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          ratio[k] = on[k] * (activated[k] / (on[k] != 0.0 ? accounts[k] : 1.0));
        }
        for (int c : twin.compartments) {
          const double* others = twin.row_of(y, kProspect, kRest, c);
          double* from = twin.row_of(dy, kProspect, kRest, c);
          double* to = twin.row_of(dy, kEngaged, kRest, c);
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            const double f = ratio[k] * std::max(0.0, others[k]);
            from[k] -= f;
            to[k] += f;
          }
        }
        move_account_row(twin, dy, kProspect, kEngaged, activated);
      }
      // Active users: adoption, advocacy, churn (paid plans x paid_churn_multiplier, team
      // effects); churned people coming back (as evaluators if they never activated, else as
      // beginners).
      const double paid = twin.pays(plan) ? r.paid_churn : 1.0;
      const double* team_adoption = twin.scratch_row(group == kFirst ? rTeam : rTeam + 2);
      const double* team_churn = team_adoption + lanes;
      #pragma GCC ivdep
      for (std::size_t k = 0; k < lanes; ++k) {
        adoption[k] = r.adoption * team_adoption[k];
        churn_mult[k] = paid * team_churn[k];
      }
      {
        const double* beginners = in(cBeginner);
        const double* regulars = in(cRegular);
        const double* champions = in(cChampion);
        double* d_beginners = out(cBeginner);
        double* d_regulars = out(cRegular);
        double* d_champions = out(cChampion);
        double* churned_ever = out(cChurnedEver);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          const double adopt = adoption[k] * (on[k] * std::max(0.0, beginners[k]));
          const double advocate = r.advocacy * (on[k] * std::max(0.0, regulars[k]));
          d_beginners[k] -= adopt;
          d_regulars[k] += adopt - advocate;
          d_champions[k] += advocate;
          flow[k] = adopt;
          people[k] = advocate;
        }
        book(f_adoptions, flow);
        book(f_advocacies, people);
        zero(churned);
        const std::array<std::pair<int, Stage>, 3> stages = {
            std::pair{cBeginner, Stage::beginner}, {cRegular, Stage::regular},
            {cChampion, Stage::champion}};
        for (const auto& [comp, stage] : stages) {
          const double* b = in(comp);
          double* d = out(comp);
          const double rate = r.churn[int(stage)];
          #pragma GCC ivdep
          for (std::size_t k = 0; k < lanes; ++k) {
            flow[k] = rate * churn_mult[k] * (on[k] * std::max(0.0, b[k]));
            d[k] -= flow[k];
            churned_ever[k] += flow[k];
            churned[k] += flow[k];
          }
          book(f_churn_by_stage + int(stage), flow);
        }
        const double reactivation = access ? r.reactivation : 0.0;
        const double* never = in(cChurnedNever);
        const double* ever = in(cChurnedEver);
        double* d_never = out(cChurnedNever);
        double* evaluators = out(cEvaluator);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          const double back_never = reactivation * (on[k] * std::max(0.0, never[k]));
          back_ever[k] = reactivation * (on[k] * std::max(0.0, ever[k]));
          d_never[k] -= back_never;
          evaluators[k] += back_never;
          churned_ever[k] -= back_ever[k];
          d_beginners[k] += back_ever[k];
          flow[k] = back_never + back_ever[k];
        }
        book(f_reactivations, flow);
        // The accounts' seats follow these (account_flows.cpp).
        double* becoming = twin.changes_row(plan, group);
        double* ceasing = twin.changes_row(plan, 2 + group);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          becoming[k] = activated[k] + back_ever[k];
          ceasing[k] = churned[k];
        }
        if (group == kRest && twin.laws.on) {  // what the others' law spreads (invite_laws.hpp)
          for (std::size_t k = 0; k < classes; ++k) {
            twin.laws.signups[k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan)] =
                {team_signups[k], first_signups[k], activated[k]};
          }
        }
        // Exposure in half steps: the trapezoid of the agent model, 2 active / dt a month.
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) {
          flow[k] = on[k] * (beginners[k] + regulars[k] + champions[k]);
        }
        flows[f_user_halfsteps] += 2.0 / dt * lane_sum(flow, lanes);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) flow[k] = on[k] * beginners[k];
        flows[f_beginner_halfsteps] += 2.0 / dt * lane_sum(flow, lanes);
        #pragma GCC ivdep
        for (std::size_t k = 0; k < lanes; ++k) flow[k] = on[k] * champions[k];
        flows[f_champion_halfsteps] += 2.0 / dt * lane_sum(flow, lanes);
      }
    }
  }
}

}  // namespace flywheel::meanfield
