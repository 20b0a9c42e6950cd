// Sales-led growth levers (strategy.slg) and how each segment buys through sales
// (market.segments[].sales). Included by strategy.hpp.
#pragma once

#include <flywheel/spec/schedule.hpp>

namespace flywheel {

// How accounts of one segment move through the sales funnel and what they sign.
struct SegmentSales {
  bool sold = false;                 // reps work this segment's accounts
  double lead_to_mql = 0.3;          // probability a lead is marketing-qualified
  double mql_to_sql = 0.4;           // probability an MQL is sales-qualified (enters the rep queue)
  double sql_to_won = 0.25;          // probability a worked deal closes won
  double cycle_days_median = 60.0;   // days from a rep taking the deal to its close
  double cycle_sigma = 0.5;          // sd of log(cycle days)
  double contract_seat_share = 0.5;  // contract seats = share x the account's people (>= 1)
  double contract_price_multiplier = 1.0;  // contract seat price = list price x this
  double renewal_rate = 0.9;               // probability a contract renews at term end
  double ramp_start_share = 1.0;  // share of the contract seats billed in a ramped deal's first
                                  // month (1: no ramp; strategy.slg.ramp_months)
  bool operator==(const SegmentSales&) const = default;
};

struct SlgSpec {
  bool enabled = false;
  Schedule reps = Schedule::constant(0.0);  // account executives on staff
  double deals_per_rep = 15.0;              // deals one rep works at once
  double rep_cost_usd_per_month = 18000.0;  // fully loaded cost of one rep
  // The sales team around the reps, priced into sales spend and CAC (never scaled).
  double sdrs_per_rep = 0.4;                                  // SDRs per AE
  double sdr_cost_usd_per_month = 9000.0;                     // fully loaded, per SDR
  double ses_per_rep = 0.0;                                   // sales engineers per AE
  double se_cost_usd_per_month = 20000.0;                     // fully loaded, per SE
  Schedule programs_usd_per_month = Schedule::constant(0.0);  // events, ABM, sales content
  double outbound_leads_per_rep_month = 20.0;  // accounts a rep's outreach turns into leads
  int outbound_contacts = 3;  // unaware people of an outbound lead made aware (channel sales)
  double inbound_lead_per_signup = 0.05;  // a signup in a non-customer account raises a hand
  bool pql_assist = true;                 // PQLs of sold segments go to reps, ahead of others
  int contract_term_months = 12;
  int true_up_months = 0;  // usage above the contract is billed every this many months (0: at
                           // renewal only)
  int ramp_months = 0;     // a new contract's billed seats rise to the contract seats over this
  double onboarding_share = 0.8;  // share of a won account's other people onboarded
  double recycle_months = 6.0;    // a lost or disqualified account may be a lead again after
  bool operator==(const SlgSpec&) const = default;
};

}  // namespace flywheel
