// People's flows once they have signed up, in the twin: evaluators activating or churning (the
// activation window's dropouts are the conveyor's, Twin::shift_window, or window_split.cpp's), a prospect becoming
// engaged when its first signer activates; active users adopting, advocating and churning (paid
// plans x paid_churn_multiplier, team effects), churned people coming back; the seat changes
// these make, and the month's exposure (docs/mean_field.md "People").
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
  const double adoption_rate = r.adoption, advocacy = r.advocacy;
  double* flows = s.flows;
  const double dt = twin.model.time.step_months();
  const std::size_t lanes = s.lanes, classes = s.classes;
  const int plan = s.plan, group = s.group;
  const bool access = s.access;
  const double* on = s.row(rOn);
  double* people = s.row(rPeople);
  double* flow = s.row(rFlow);
  const double* first_signups = s.row(rFirstSignups);
  const double* activated = s.row(rActivated);
  double* churned = s.row(rChurned);
  double* back_ever = s.row(rBackEver);
  double* adoption = s.row(rAdoption);
  double* churn_mult = s.row(rChurnMult);
  const double* team_signups = s.row(rTeamSignups);
  // Active users: adoption, advocacy, churn (paid plans x paid_churn_multiplier, team
  // effects); churned people coming back (as evaluators if they never activated, else as
  // beginners).
  const double paid = twin.pays(plan) ? r.paid_churn : 1.0;
  const double* team_adoption = twin.scratch_row(group == kFirst ? rTeam : rTeam + 2);
  const double* team_churn = team_adoption + lanes;
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) {
    adoption[k] = adoption_rate * team_adoption[k];
    churn_mult[k] = paid * team_churn[k];
  }
  const double* beginners = s.in(cBeginner);
  const double* regulars = s.in(cRegular);
  const double* champions = s.in(cChampion);
  double* d_beginners = s.out(cBeginner);
  double* d_regulars = s.out(cRegular);
  double* d_champions = s.out(cChampion);
  double* churned_ever = s.out(cChurnedEver);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) {
    const double adopt = adoption[k] * (on[k] * std::max(0.0, beginners[k]));
    const double advocate = advocacy * (on[k] * std::max(0.0, regulars[k]));
    d_beginners[k] -= adopt;
    d_regulars[k] += adopt - advocate;
    d_champions[k] += advocate;
    flow[k] = adopt;
    people[k] = advocate;
  }
  s.book(f_adoptions, flow);
  s.book(f_advocacies, people);
  s.zero(churned);
  const std::array<std::pair<int, Stage>, 3> stages = {
      std::pair{cBeginner, Stage::beginner}, {cRegular, Stage::regular},
      {cChampion, Stage::champion}};
  for (const auto& [comp, stage] : stages) {
    const double* b = s.in(comp);
    double* d = s.out(comp);
    const double rate = r.churn[int(stage)];
    #pragma GCC ivdep
    for (std::size_t k = 0; k < lanes; ++k) {
      flow[k] = rate * churn_mult[k] * (on[k] * std::max(0.0, b[k]));
      d[k] -= flow[k];
      churned_ever[k] += flow[k];
      churned[k] += flow[k];
    }
    s.book(f_churn_by_stage + int(stage), flow);
  }
  const double reactivation = access ? r.reactivation : 0.0;
  const double* never = s.in(cChurnedNever);
  const double* ever = s.in(cChurnedEver);
  double* d_never = s.out(cChurnedNever);
  double* evaluators = s.out(cEvaluator);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) {
    const double back_never = reactivation * (on[k] * std::max(0.0, never[k]));
    back_ever[k] = reactivation * (on[k] * std::max(0.0, ever[k]));
    d_never[k] -= back_never;
    evaluators[k] += back_never;
    flow[k] = back_never;
    churned_ever[k] -= back_ever[k];
    d_beginners[k] += back_ever[k];
  }
  if (twin.window_split_monthly) window_split_entries(twin, s.out(cWinToMonthEnd), flow, lanes);
  #pragma GCC ivdep
  for (std::size_t k = 0; k < lanes; ++k) flow[k] += back_ever[k];
  s.book(f_reactivations, flow);
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

}  // namespace flywheel::meanfield
