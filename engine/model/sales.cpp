#include "sales.hpp"

#include "contracts.hpp"

#include <boost/random/lognormal_distribution.hpp>

#include <algorithm>
#include <cmath>

namespace flywheel::model {

namespace {

// Words of Decision::sales_lead (agent = account): 0 inbound, 1 outbound, 2 MQL, 3 SQL.
// Decision::sales_deal: index kCloseIndex decides a close; indices from 0 draw a cycle time.
constexpr std::uint32_t kCloseIndex = 1u << 20;

void cool_off(const Model& model, Accounts& acc, std::uint32_t a, int step) {
  acc.sales_stage[a] = SalesStage::cooling;
  acc.sales_due_step[a] = step + model.recycle_steps;
}

void join_queue(Accounts& acc, std::uint32_t a, int step, bool pql, AccountTally& tally) {
  acc.sales_stage[a] = SalesStage::queued;
  acc.sales_step[a] = step;
  ++tally.sales_sqls;
  if (pql) {
    acc.flags[a] |= kPqlDeal;
    ++tally.sales_pql_sqls;
    tally.new_pql_sqls.push_back(a);
  } else {
    tally.new_sqls.push_back(a);
  }
}

// Outreach reaches a few people of the account: the first unaware ones become aware.
void reach_out(int contacts, ReplicateState& state, std::uint32_t a, AccountTally& tally) {
  People& people = state.people;
  const std::uint32_t last = state.accounts.first_person[a + 1];
  for (std::uint32_t p = state.accounts.first_person[a]; p < last && contacts > 0; ++p) {
    if (people.stage[p] != Stage::unaware) continue;
    people.stage[p] = Stage::aware;
    people.channel[p] = Channel::sales;
    --tally.stage_change[static_cast<int>(Stage::unaware)];
    ++tally.stage_change[static_cast<int>(Stage::aware)];
    ++tally.aware_sales;
    --contacts;
  }
}

// A lead-pool account: PQL assist, inbound and outbound leads, qualification.
void find_lead(const Model& model, const SalesRules& rules, ReplicateState& state, std::uint32_t a,
               int step, const SalesView& view, AccountTally& tally) {
  Accounts& acc = state.accounts;
  if (rules.pql_assist && acc.pql[a]) {
    join_queue(acc, a, step, true, tally);
    return;
  }
  const auto w = model.streams.words(a, static_cast<std::uint32_t>(step), Decision::sales_lead);
  bool lead = false;
  if (view.new_signups > 0 && rules.inbound_per_signup > 0) {
    const double p = -std::expm1(view.new_signups * std::log1p(-rules.inbound_per_signup));
    if (w[0] < probability_threshold(p)) {
      lead = true;
      ++tally.sales_leads_inbound;
    }
  }
  if (!lead && w[1] < rules.outbound) {
    lead = true;
    ++tally.sales_leads_outbound;
    reach_out(rules.outbound_contacts, state, a, tally);
  }
  if (!lead) return;
  const SegmentDeal& deal = model.deals[acc.segment[a]];
  if (w[2] >= deal.mql) return cool_off(model, acc, a, step);
  ++tally.sales_mqls;
  if (w[3] >= deal.sql) return cool_off(model, acc, a, step);
  join_queue(acc, a, step, false, tally);
}

// A deal whose cycle ends this step: won (a contract) or lost. An account that bought
// self-serve meanwhile (a trial converting) is lost to sales.
bool close_deal(const Model& model, const SalesRules& rules, ReplicateState& state, std::uint32_t a,
                int step, AccountTally& tally) {
  Accounts& acc = state.accounts;
  ++tally.deals_closed_step;
  tally.cycle_steps += step - acc.sales_step[a];
  acc.flags[a] = static_cast<std::uint8_t>(acc.flags[a] & ~kPqlDeal);
  const bool won = acc.plan[a] != Plan::paid &&
                   model.streams.words(a, static_cast<std::uint32_t>(step), Decision::sales_deal,
                                       kCloseIndex)[0] < model.deals[acc.segment[a]].won;
  if (!won) {
    ++tally.deals_lost;
    cool_off(model, acc, a, step);
    return false;
  }
  ++tally.deals_won;
  start_contract(model, rules.onboarding, state, a, step, tally);
  return true;
}

// The accounts that reach find_lead this step other than by PQL assist: sold, no open deal (or
// a cooling-off that ends now), not paying.
std::int64_t lead_pool(const Model& model, const ReplicateState& state, int step, bool pql_assist) {
  const Accounts& acc = state.accounts;
  std::int64_t pool = 0;
  for (std::size_t a = 0; a < acc.size(); ++a) {
    const SalesStage stage = acc.sales_stage[a];
    const bool open = stage == SalesStage::none ||
                      (stage == SalesStage::cooling && step >= acc.sales_due_step[a]);
    const Plan plan = acc.plan[a];
    pool += open && (plan == Plan::free || plan == Plan::cancelled) &&
                    model.deals[acc.segment[a]].sold && !(pql_assist && acc.pql[a])
                ? 1
                : 0;
  }
  return pool;
}

}  // namespace

SalesRules sales_rules(const Model& model, const ReplicateState& state, int step, int month) {
  SalesRules rules;
  if (!model.sales_led()) return rules;
  const Scenario& s = model.scenario;
  const SlgSpec& slg = s.strategy.slg;
  rules.on = true;
  rules.pql_assist = slg.pql_assist && s.strategy.plg.enabled && s.strategy.plg.free_tier;
  rules.inbound_per_signup = slg.inbound_lead_per_signup;
  const double leads_per_step = slg.reps.at(month) * slg.outbound_leads_per_rep_month *
                                model.time.step_months() / s.simulation.agent_scale;
  // Spread over the pool at this step's start: a pool counted a step earlier misses the
  // accounts whose cooling-off ended since, and the leads of a step would grow with the step.
  const std::int64_t pool = lead_pool(model, state, step, rules.pql_assist);
  if (pool > 0) rules.outbound = probability_threshold(leads_per_step / static_cast<double>(pool));
  rules.onboarding = probability_threshold(slg.onboarding_share);
  rules.outbound_contacts = slg.outbound_contacts;
  return rules;
}

bool advance_sales_account(const Model& model, const SalesRules& rules, ReplicateState& state,
                           std::uint32_t a, int step, const SalesView& view, AccountTally& tally) {
  Accounts& acc = state.accounts;
  if (!model.deals[acc.segment[a]].sold) return false;
  SalesStage& stage = acc.sales_stage[a];
  if (stage == SalesStage::cooling && step >= acc.sales_due_step[a]) stage = SalesStage::none;
  if (stage == SalesStage::working && step >= acc.sales_due_step[a]) {
    return close_deal(model, rules, state, a, step, tally);
  }
  const Plan plan = acc.plan[a];
  if (stage == SalesStage::none && (plan == Plan::free || plan == Plan::cancelled)) {
    find_lead(model, rules, state, a, step, view, tally);
  }
  return false;
}

void assign_deals(const Model& model, ReplicateState& state, int step, int month,
                  std::vector<AccountTally>& blocks) {
  if (!model.sales_led()) return;
  SalesFloor& floor = state.sales;
  Accounts& acc = state.accounts;
  for (AccountTally& t : blocks) {  // block order = account order
    floor.working -= t.deals_closed_step;
    floor.pql_queue.insert(floor.pql_queue.end(), t.new_pql_sqls.begin(), t.new_pql_sqls.end());
    floor.queue.insert(floor.queue.end(), t.new_sqls.begin(), t.new_sqls.end());
    t.new_pql_sqls.clear();
    t.new_sqls.clear();
  }
  const SlgSpec& slg = model.scenario.strategy.slg;
  const auto capacity = static_cast<std::int64_t>(
      std::llround(slg.reps.at(month) * slg.deals_per_rep / model.scenario.simulation.agent_scale));
  while (floor.working < capacity && !(floor.pql_queue.empty() && floor.queue.empty())) {
    std::deque<std::uint32_t>& q = floor.pql_queue.empty() ? floor.queue : floor.pql_queue;
    const std::uint32_t a = q.front();
    q.pop_front();
    if (acc.plan[a] == Plan::paid) {  // bought self-serve while waiting: no deal to work
      acc.sales_stage[a] = SalesStage::none;
      continue;
    }
    const SegmentDeal& deal = model.deals[acc.segment[a]];
    DrawEngine engine(model.streams, a, static_cast<std::uint32_t>(step), Decision::sales_deal);
    const double days = boost::random::lognormal_distribution<double>(deal.cycle_log_median,
                                                                      deal.cycle_sigma)(engine);
    const int cycle = std::max(1, static_cast<int>(std::lround(days / model.time.step_days())));
    floor.wait_steps += step - acc.sales_step[a];
    ++floor.deals_taken;
    ++floor.working;
    acc.sales_stage[a] = SalesStage::working;
    acc.sales_step[a] = step;
    acc.sales_due_step[a] = step + cycle;
  }
}

}  // namespace flywheel::model
