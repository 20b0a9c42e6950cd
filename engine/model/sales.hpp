// Phase 3, sales-led growth (strategy.slg): accounts of sold segments become leads, are
// qualified and wait as SQLs for a rep, who works the deal for a lognormal cycle to a win
// (a contract, contracts.hpp) or a loss.
//   inbound:  a non-customer account with n signups this step is a lead with probability
//             1 - (1 - inbound_lead_per_signup)^n
//   outbound: each account of the lead pool (sold segment, no open deal, not paying) is a lead
//             with probability min(1, reps x outbound_leads_per_rep_month x dt / agent_scale
//             / lead pool at the step's start)
//   outreach: an outbound lead makes the first outbound_contacts unaware people of its account
//             aware (channel sales)
//   PQL assist: a PQL account of a sold segment is an SQL at once (and taken first)
//   lead -> MQL -> SQL with the segment's rates, decided at once; others cool off
//   capacity: round(reps x deals_per_rep / agent_scale) deals at once; SQLs beyond it wait in
//             a queue by (step joined, account); a rep taking a deal draws its cycle
//             days ~ LogNormal(ln(cycle_days_median), cycle_sigma), at least one step
//   close:    won with probability sql_to_won, else lost (cooling for recycle_months)
// The account pass (advance_sales_account) writes only its account; the serial pass
// (assign_deals) owns the queues and the reps' slots.
#pragma once

#include "accounts.hpp"
#include "model.hpp"
#include "model_state.hpp"

#include <cstdint>
#include <vector>

namespace flywheel::model {

// The sales rules of one step.
struct SalesRules {
  bool on = false;
  bool pql_assist = false;
  double inbound_per_signup = 0;
  std::uint64_t outbound = 0;  // threshold per lead-pool account and step
  std::uint64_t onboarding = 0;
  int outbound_contacts = 0;
};

SalesRules sales_rules(const Model& model, const ReplicateState& state, int step, int month);

// What an account's people look like this step, as the sales funnel needs it.
struct SalesView {
  int new_signups = 0;  // people whose signup step is this step
};

// One account's sales step (leads, qualification, a deal's close). Returns true on a win.
bool advance_sales_account(const Model& model, const SalesRules& rules, ReplicateState& state,
                           std::uint32_t a, int step, const SalesView& view, AccountTally& tally);

// An account in the queue or worked by a rep: sales owns it (no self-serve conversion).
// Without the sales lever its arrays are not allocated and no account is in a pipeline.
inline bool in_pipeline(const Accounts& acc, std::uint32_t a) {
  if (acc.sales_stage.empty()) return false;
  return acc.sales_stage[a] == SalesStage::queued || acc.sales_stage[a] == SalesStage::working;
}

// The serial pass after the account pass: queue the new SQLs, free the slots of closed deals,
// give free slots to queued deals.
void assign_deals(const Model& model, ReplicateState& state, int step, int month,
                  std::vector<AccountTally>& blocks);

}  // namespace flywheel::model
