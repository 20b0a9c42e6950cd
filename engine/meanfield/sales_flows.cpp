// The sales funnel in the twin (strategy.slg; engine/model/sales.cpp), for accounts of sold
// segments: inbound leads (a share of the signups in accounts outside the funnel), outbound
// leads (reps x leads per rep spread over the lead pool), PQL assist, qualification, the reps'
// queue as a fluid queue, the sales cycle as an Erlang(kCyclePhases) delay of the lognormal's
// mean, won deals to contracts (contract_flows.cpp) and lost ones cooling off before they may be
// leads again (docs/mean_field.md "Trials and sales").
#include "twin.hpp"

#include <algorithm>
#include <cmath>

namespace flywheel::meanfield {

namespace {


const SegmentSales& deal_of(const Twin& twin, std::size_t k) {
  return twin.scenario.market.segments[static_cast<std::size_t>(twin.classes[k].segment)].sales;
}

std::array<double, 2> active_of(const Twin& twin, const State& y, std::size_t k, int plan) {
  std::array<double, 2> a{};
  for (int group = kFirst; group <= kRest; ++group) {
    const People<const double> b = twin.people(y, k, plan, group);
    a[group] = std::max(0.0, b[cBeginner] + b[cRegular] + b[cChampion]);
  }
  return a;
}

// Moves accounts of an untouched block: nobody in them has signed up, so their people are
// independent and any one of them stands for the first signer of the plan they go to.
void move_untouched(const Twin& twin, const State& y, State& dy, std::size_t k, int to,
                    double accounts) {
  const double total = y[twin.accounts_at(k, kUntouched)];
  if (!(accounts > 0.0) || !(total > 0.0)) return;
  const int n = twin.classes[k].size;
  const double share = accounts / total;
  const People<const double> b = twin.people(y, k, kUntouched, kRest);
  const People<double> d = twin.people(dy, k, kUntouched, kRest);
  const People<double> first = twin.people(dy, k, to, kFirst);
  const People<double> rest = twin.people(dy, k, to, kRest);
  for (int c : twin.compartments) {
    const double moved = share * std::max(0.0, b[c]);
    d[c] -= moved;
    first[c] += moved / n;
    rest[c] += moved * (n - 1) / n;
  }
  dy[twin.accounts_at(k, kUntouched)] -= accounts;
  dy[twin.accounts_at(k, to)] += accounts;
  twin.record_move(k, kUntouched, to, accounts);
}

// Outreach to `accounts` outbound leads that moved from `from` to `to`: up to `contacts` of each
// account's unaware people become aware through sales (their mean unaware head count, capped).
void reach_out(const Twin& twin, const State& y, State& dy, std::size_t k, int from, int to,
               double accounts, int contacts) {
  const double total = y[twin.accounts_at(k, from)];
  if (!(accounts > 0.0) || !(total > 0.0) || contacts <= 0) return;
  const int sales = static_cast<int>(Channel::sales);
  const double u1 = std::max(0.0, y[twin.person(k, from, kFirst, cUnaware)]) / total;
  const double u2 = std::max(0.0, y[twin.person(k, from, kRest, cUnaware)]) / total;
  const double reached = std::min(static_cast<double>(contacts), u1 + u2);
  if (!(reached > 0.0)) return;
  const int n = twin.classes[k].size;
  // From an untouched account the first signer of `to` is one of its people (move_untouched).
  const double f1 = from == kUntouched ? (u1 + u2) / n : u1;
  const double f2 = (u1 + u2) - f1;
  for (int group = kFirst; group <= kRest; ++group) {
    const double x = accounts * reached * (group == kFirst ? f1 : f2) / (u1 + u2);
    const People<double> t = twin.people(dy, k, to, group);
    t[cUnaware] -= x;
    t[cAware + sales] += x;
    dy[twin.flows_at + f_awareness + sales] += x;
  }
}

// Accounts arriving among class k's prospects as PQLs a month: trials expiring (not converting)
// and cooling-offs ending, with the PQL rule met (the rule read on the blocks they leave).
template <class Pql>
double arriving_pqls(const Twin& twin, const State& y, std::size_t k, Pql is_pql) {
  double arriving = 0.0;
  if (twin.trial0 >= 0) {
    const int last = twin.trial0 + kTrialPhases - 1;
    const double accounts = y[twin.accounts_at(k, last)];
    const TrialSpec& trial = twin.scenario.strategy.plg.trial;
    const double months = trial.days / kDaysPerMonth;
    const double conversion =
        trial.card_required ? trial.conversion_with_card : trial.conversion_without_card;
    if (accounts > 1e-300 && months > 0.0) {
      arriving += kTrialPhases / months * accounts * (1.0 - conversion) *
                  twin.head(k, last).expect(is_pql);
    }
  }
  const double cooling = y[twin.accounts_at(k, twin.cool_plan)];
  const double recycle = twin.scenario.strategy.slg.recycle_months;
  if (cooling > 1e-300) {
    arriving += (recycle > 0.0 ? 1.0 / recycle : kAtOnce) * cooling *
                twin.head(k, twin.cool_plan).expect(is_pql);
  }
  return arriving;
}

}  // namespace

SalesMonth sales_month(const Twin& twin, int month) {
  const Scenario& s = twin.scenario;
  const SlgSpec& slg = s.strategy.slg;
  SalesMonth m;
  if (!slg.enabled) return m;
  m.on = true;
  m.reps = slg.reps.at(month);
  // The agent model's capacity is a whole number of simulated deals.
  const double scale = s.simulation.agent_scale;
  m.capacity = static_cast<double>(std::llround(m.reps * slg.deals_per_rep / scale)) * scale;
  m.outbound = std::max(0.0, m.reps * slg.outbound_leads_per_rep_month);
  return m;
}

void sales_flows(const Twin& twin, const State& y, State& dy) {
  if (twin.queue_plan < 0 || !twin.sales.on) return;
  const Scenario& s = twin.scenario;
  const SlgSpec& slg = s.strategy.slg;
  const MonthRates& r = twin.rates;
  const bool assist = slg.pql_assist && r.self_serve;
  const int j = r.pql_min_active;
  double* flows = &dy[twin.flows_at];
  auto is_pql = [j](int x) { return x >= j ? 1.0 : 0.0; };

  // The lead pool (sold, outside the funnel, not paying; PQLs go by assist), the queue and the
  // deals worked.
  double pool = 0.0, queue = 0.0, working = 0.0;
  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    if (!deal_of(twin, k).sold) continue;
    pool += y[twin.accounts_at(k, kUntouched)];
    for (int plan : {int(kProspect), int(kEngaged), int(kCancelled)}) {
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 1e-300)) continue;
      pool += assist ? accounts * (1.0 - twin.head(k, plan).expect(is_pql)) : accounts;
    }
    queue += std::max(0.0, y[twin.accounts_at(k, twin.queue_plan)]);
    for (int i = 0; i < kCyclePhases; ++i) working += std::max(0.0, y[twin.accounts_at(k, twin.work0 + i)]);
  }
  const double outbound = pool > 0.0 ? std::min(kAtOnce, twin.sales.outbound / pool) : 0.0;
  // Reps take queued deals as slots free up: at once in the agent model's serial pass; here at
  // a hazard of one a day on min(free slots, queue), continuous in the state.
  const double taken =
      kAtOnce * std::min(std::max(0.0, twin.sales.capacity - working), queue);
  flows[f_deals_taken] += taken;
  flows[f_queue_months] += queue;
  const double inbound = std::clamp(slg.inbound_lead_per_signup, 0.0, 1.0);
  const double recycle = slg.recycle_months > 0.0 ? 1.0 / slg.recycle_months : kAtOnce;

  for (std::size_t k = 0; k < twin.classes.size(); ++k) {
    const SegmentSales& deal = deal_of(twin, k);
    if (!deal.sold) continue;
    const double pass = deal.lead_to_mql * deal.mql_to_sql;
    // `leads` accounts of `plan` (with `active` of its active users) become leads: qualified
    // ones join the queue, the others cool off.
    auto qualify = [&](int plan, double leads, std::array<double, 2> active, bool from_untouched) {
      if (!(leads > 0.0)) return;
      flows[f_sales_mqls] += leads * deal.lead_to_mql;
      flows[f_sales_sqls] += leads * pass;
      if (from_untouched) {
        move_untouched(twin, y, dy, k, twin.queue_plan, leads * pass);
        move_untouched(twin, y, dy, k, twin.cool_plan, leads * (1.0 - pass));
        return;
      }
      move_accounts(twin, y, dy, k, plan, twin.queue_plan, leads * pass,
                    {active[0] * pass, active[1] * pass});
      move_accounts(twin, y, dy, k, plan, twin.cool_plan, leads * (1.0 - pass),
                    {active[0] * (1.0 - pass), active[1] * (1.0 - pass)});
    };
    auto outreach = [&](int from, double leads) {
      const double sqls = leads * pass;
      reach_out(twin, y, dy, k, from, twin.queue_plan, sqls, slg.outbound_contacts);
      reach_out(twin, y, dy, k, from, twin.cool_plan, leads - sqls, slg.outbound_contacts);
    };
    const std::size_t row = k * static_cast<std::size_t>(twin.plans);
    // Untouched accounts: outbound only (nobody signed up); their first signups are inbound
    // leads of the prospects they become (without trials).
    const double untouched = y[twin.accounts_at(k, kUntouched)];
    if (untouched > 1e-300 && outbound > 0.0) {
      const double leads = outbound * untouched;
      flows[f_sales_leads_outbound] += leads;
      outreach(kUntouched, leads);
      qualify(kUntouched, leads, {0.0, 0.0}, true);
    }
    for (int plan : {int(kProspect), int(kEngaged), int(kCancelled)}) {
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 1e-300)) continue;
      const std::array<double, 2> active = active_of(twin, y, k, plan);
      double signups = twin.block_signups[row + static_cast<std::size_t>(plan)];
      if (plan == kProspect && twin.first_signup_plan == kProspect) {
        signups += twin.block_signups[row + kUntouched];
      }
      double pql_share = 0.0;
      if (assist) {
        // PQL assist: a new PQL is an SQL at once, ahead of the lead rules. The accounts that
        // become PQLs: those crossing the rule, and those arriving as PQLs from a trial or a
        // cooling-off (a hazard on the closure's PQL tail would drain a tail that the closure
        // refills at once).
        const HeadCount& a = twin.head(k, plan);
        pql_share = a.expect(is_pql);
        double sqls = pql_crossings(twin, y, k, plan);
        if (plan == kProspect) {
          sqls += arriving_pqls(twin, y, k, is_pql);
        }
        sqls = std::min(sqls, kAtOnce * accounts);
        // Their active users: the PQL tail's, per account.
        const int n = twin.classes[k].size;
        const double first = pql_share > 1e-12 ? a.expect_first(is_pql) / pql_share
                                                : std::min(1.0, double(j) / n);
        const double others = pql_share > 1e-12 ? a.expect_others(is_pql) / pql_share
                                                 : std::max(0.0, j - first);
        // Under teammate invites the SQLs leave from the block's PQLs (invite_laws.hpp), at most
        // at once (a day): the law's PQLs are accounts the crossings refill at a finite rate.
        int profile = -1;
        if (twin.laws.has(row + static_cast<std::size_t>(plan)) && pql_share > 1e-12) {
          sqls = std::min(sqls, kAtOnce * accounts * pql_share);
          const double rate = sqls / (accounts * pql_share);
          profile = law_profile(twin, k, plan, [&](int x) { return x >= j ? rate : 0.0; });
        }
        flows[f_sales_sqls] += sqls;
        flows[f_sales_pql_sqls] += sqls;
        move_accounts(twin, y, dy, k, plan, twin.queue_plan, sqls, {sqls * first, sqls * others},
                      profile);
      }
      const double in = std::min(inbound * signups, kAtOnce * accounts * (1.0 - pql_share));
      const double out = outbound * accounts * (1.0 - pql_share);
      flows[f_sales_leads_inbound] += in;
      flows[f_sales_leads_outbound] += out;
      if (out > 0.0) outreach(plan, out);
      const double share = (in + out) / accounts;
      qualify(plan, in + out, {active[0] * share, active[1] * share}, false);
    }
    // The queue: each class's deals taken in proportion to its share of the queue.
    const double queued = y[twin.accounts_at(k, twin.queue_plan)];
    if (queued > 1e-300 && queue > 0.0) {
      const double h = taken / queue;
      const std::array<double, 2> active = active_of(twin, y, k, twin.queue_plan);
      move_accounts(twin, y, dy, k, twin.queue_plan, twin.work0, h * queued,
                    {h * active[0], h * active[1]});
    }
    // The cycle: LogNormal(ln median, sigma) days as an Erlang delay of the same mean.
    const double mean_days =
        deal.cycle_days_median * std::exp(0.5 * deal.cycle_sigma * deal.cycle_sigma);
    const double h = kCyclePhases / std::max(mean_days / kDaysPerMonth, 1e-6);
    for (int i = 0; i < kCyclePhases; ++i) {
      const int plan = twin.work0 + i;
      const double accounts = y[twin.accounts_at(k, plan)];
      if (!(accounts > 1e-300)) continue;
      const std::array<double, 2> active = active_of(twin, y, k, plan);
      if (i + 1 < kCyclePhases) {
        move_accounts(twin, y, dy, k, plan, plan + 1, h * accounts, {h * active[0], h * active[1]});
        continue;
      }
      const double closed = h * accounts, won = closed * deal.sql_to_won;
      flows[f_deals_won] += won;
      flows[f_deals_lost] += closed - won;
      flows[f_cycle_days_closed] += closed * mean_days;
      const double w = h * deal.sql_to_won;
      start_contracts(twin, y, dy, k, plan, won, {w * active[0], w * active[1]});
      const double l = h - w;
      move_accounts(twin, y, dy, k, plan, twin.cool_plan, closed - won,
                    {l * active[0], l * active[1]});
    }
    // Cooling off: recycle_months as an exponential delay of that mean, back to the pool.
    const double cooling = y[twin.accounts_at(k, twin.cool_plan)];
    if (cooling > 1e-300) {
      const std::array<double, 2> active = active_of(twin, y, k, twin.cool_plan);
      move_accounts(twin, y, dy, k, twin.cool_plan, kProspect, recycle * cooling,
                    {recycle * active[0], recycle * active[1]});
    }
  }
}

}  // namespace flywheel::meanfield
