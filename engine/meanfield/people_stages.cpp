// People's flows once they have signed up, in the twin: evaluators activating or churning (the
// activation window's dropouts are the conveyor's, Twin::shift_window, or window_split.cpp's),
// a prospect becoming engaged when its first signer activates; active users adopting, advocating
// and churning (paid plans x paid_churn_multiplier, team effects), churned people coming back;
// the seat changes these make, and the month's exposure (docs/mean_field.md "People").
#include "people_sweep.hpp"

#include <algorithm>
#include <utility>

namespace flywheel::meanfield {

FLYWHEEL_SWEEP void evaluator_flows(const PeopleSweep& s) {
  const Twin& twin = s.twin;
  const State& y = s.y;
  State& dy = s.dy;
  const MonthRates& r = s.r;
  const std::size_t lanes = s.lanes;
  const int plan = s.plan, group = s.group;
  const double* accounts = s.accounts;
  const bool access = s.access;
  const double* on = s.row(rOn);
  double* activated = s.row(rActivated);
  double* dropped = s.row(rDropped);
  double* ratio = s.row(rRatio);
  // Evaluators: activation (a prospect's first signer activating makes it engaged) and
  // churn; the window's dropouts are the conveyor's (Twin::shift_window) or, split at month
  // ends, a flow here.
  const bool engages = plan == kProspect && group == kFirst;
  double* beginners_to = engages ? twin.row_of(dy, kEngaged, kFirst, cBeginner) : s.out(cBeginner);
  {
    const double activation = access ? r.activation : 0.0;
    const double churn = r.churn[int(Stage::evaluator)];
    double* churned_never = s.out(cChurnedNever);
    s.zero(activated);
    s.zero(dropped);
    for (int i = 0; i < twin.bins; ++i) {
      const double* b = s.in(cEvaluator + i);
      double* d = s.out(cEvaluator + i);
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
    if (twin.window_split_monthly) window_split_flows(s, activation + churn, churned_never, ratio);
    s.book(f_activations, activated);
    s.book(f_churn_by_stage + int(Stage::evaluator), dropped);
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
}

FLYWHEEL_SWEEP void active_user_flows(const PeopleSweep& s) {
  const Twin& twin = s.twin;
  const MonthRates& r = s.r;
  // Read into locals once: behind a reference, each store to dy could change them for the
  // compiler, which would read them again in every lane.
  const double adoption = r.adoption, advocacy = r.advocacy;
  const double churn_beginner = r.churn[int(Stage::beginner)];
  const double churn_regular = r.churn[int(Stage::regular)];
  const double churn_champion = r.churn[int(Stage::champion)];
  double* flows = s.flows;
  const double dt = twin.model.time.step_months();
  const std::size_t lanes = s.lanes, classes = s.classes;
  const int plan = s.plan, group = s.group;
  const double* on = s.row(rOn);
  const double* first_signups = s.row(rFirstSignups);
  const double* activated = s.row(rActivated);
  const double* team_signups = s.row(rTeamSignups);
  // Active users: adoption, advocacy, churn (paid plans x paid_churn_multiplier, team
  // effects); churned people coming back (as evaluators if they never activated, else as
  // beginners). One sweep does them all, each lane's numbers changed in the order the flows
  // are listed; it leaves each flow in a row of its own to be summed after.
  const double paid = twin.pays(plan) ? r.paid_churn : 1.0;
  const double* team_adoption = twin.scratch_row(group == kFirst ? rTeam : rTeam + 2);
  const double* team_churn = team_adoption + lanes;
  const double reactivation = s.access ? r.reactivation : 0.0;
  const bool split = twin.window_split_monthly;
  const double left = 1.0 - twin.month_phase;  // the window split's time to the month's end
  const double* beginners = s.in(cBeginner);
  const double* regulars = s.in(cRegular);
  const double* champions = s.in(cChampion);
  const double* never = s.in(cChurnedNever);
  const double* ever = s.in(cChurnedEver);
  double* d_beginners = s.out(cBeginner);
  double* d_regulars = s.out(cRegular);
  double* d_champions = s.out(cChampion);
  double* d_never = s.out(cChurnedNever);
  double* d_ever = s.out(cChurnedEver);
  double* d_evaluators = s.out(cEvaluator);
  double* to_end = split ? s.out(cWinToMonthEnd) : nullptr;
  // The accounts' seats follow those becoming and ceasing to be active (account_flows.cpp).
  double* becoming = twin.changes_row(plan, group);
  double* ceasing = twin.changes_row(plan, 2 + group);
  double* adopted = s.row(rAdopted);
  double* advocated = s.row(rAdvocated);
  double* churned_b = s.row(rChurnedBeginners);
  double* churned_r = s.row(rChurnedRegulars);
  double* churned_c = s.row(rChurnedChampions);
  double* reactivated = s.row(rReactivated);
  double* users = s.row(rUsers);
  double* beginner_users = s.row(rBeginnerUsers);
  double* champion_users = s.row(rChampionUsers);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) {
    const double b = on[k] * std::max(0.0, beginners[k]);
    const double g = on[k] * std::max(0.0, regulars[k]);
    const double c = on[k] * std::max(0.0, champions[k]);
    const double adopt = adoption * team_adoption[k] * b;
    const double advocate = advocacy * g;
    d_beginners[k] -= adopt;
    d_regulars[k] += adopt - advocate;
    d_champions[k] += advocate;
    adopted[k] = adopt;
    advocated[k] = advocate;
    const double churn_mult = paid * team_churn[k];
    const double out_b = churn_beginner * churn_mult * b;
    const double out_r = churn_regular * churn_mult * g;
    const double out_c = churn_champion * churn_mult * c;
    d_beginners[k] -= out_b;
    d_regulars[k] -= out_r;
    d_champions[k] -= out_c;
    d_ever[k] += out_b;
    d_ever[k] += out_r;
    d_ever[k] += out_c;
    churned_b[k] = out_b;
    churned_r[k] = out_r;
    churned_c[k] = out_c;
    const double back_never = reactivation * (on[k] * std::max(0.0, never[k]));
    const double back_ever = reactivation * (on[k] * std::max(0.0, ever[k]));
    d_never[k] -= back_never;
    d_evaluators[k] += back_never;
    d_ever[k] -= back_ever;
    d_beginners[k] += back_ever;
    if (split) to_end[k] += left * back_never;  // they enter the window's bin 0
    reactivated[k] = back_never + back_ever;
    becoming[k] = activated[k] + back_ever;
    ceasing[k] = (out_b + out_r) + out_c;
    // Exposure in half steps: the trapezoid of the agent model, 2 active / dt a month.
    users[k] = on[k] * (beginners[k] + regulars[k] + champions[k]);
    beginner_users[k] = on[k] * beginners[k];
    champion_users[k] = on[k] * champions[k];
  }
  s.book(f_adoptions, adopted);
  s.book(f_advocacies, advocated);
  s.book(f_churn_by_stage + int(Stage::beginner), churned_b);
  s.book(f_churn_by_stage + int(Stage::regular), churned_r);
  s.book(f_churn_by_stage + int(Stage::champion), churned_c);
  s.book(f_reactivations, reactivated);
  if (group == kRest && twin.laws.on) {  // what the others' law spreads (invite_laws.hpp)
    for (std::size_t k = 0; k < classes; ++k) {
      twin.laws.signups[k * static_cast<std::size_t>(twin.plans) + static_cast<std::size_t>(plan)] =
          {team_signups[k], first_signups[k], activated[k]};
    }
  }
  flows[f_user_halfsteps] += 2.0 / dt * lane_sum(users, lanes);
  flows[f_beginner_halfsteps] += 2.0 / dt * lane_sum(beginner_users, lanes);
  flows[f_champion_halfsteps] += 2.0 / dt * lane_sum(champion_users, lanes);
}

}  // namespace flywheel::meanfield
