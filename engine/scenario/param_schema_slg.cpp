// Schema part: sales-led growth (strategy.slg) and how each segment buys (market.segments[].sales).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor sales_field() {
  return segment_field<&Segment::sales, Members...>();
}

// Sources cited below:
//   [BG]  The Bridge Group, SaaS AE Metrics & Compensation report (2024): median AE on-target
//         earnings ~$150k/year; fully loaded (benefits, tools, management) ~1.3-1.5x OTE.
//   [KB]  KeyBanc Capital Markets & Sapphire Ventures SaaS Survey 2023: median gross dollar
//         retention ~91%, higher for larger contracts.
//   [CY]  Optifai 2025 via getgangly.com/blog/saas-sales-cycle: B2B SaaS median cycle 84 days;
//         SMB (< $5k ACV) ~40 days, enterprise (> $100k) 6-12 months; win rates 21-47%.
std::vector<Param> segment_sales_params() {
  using S = SegmentSales;
  return {
      block("market.segments[].sales", Presence::optional, "a map",
            "How the segment buys through sales (strategy.slg): funnel rates, cycle, contract."),
      defaulted("market.segments[].sales.sold", boolean(), false, "",
                "Reps work this segment's accounts (leads, deals, contracts).",
                sales_field<&S::sold>()),
      defaulted("market.segments[].sales.lead_to_mql", probability(), 0.3, "probability",
                "A lead is marketing-qualified (an assumption; B2B lead-to-MQL 20-40%).",
                sales_field<&S::lead_to_mql>()),
      defaulted("market.segments[].sales.mql_to_sql", probability(), 0.4, "probability",
                "An MQL is sales-qualified and joins the queue for a rep (an assumption).",
                sales_field<&S::mql_to_sql>()),
      defaulted("market.segments[].sales.sql_to_won", probability(), 0.25, "probability",
                "A worked deal closes won; win rates of qualified deals run 21-47% [CY].",
                sales_field<&S::sql_to_won>()),
      defaulted("market.segments[].sales.cycle_days_median", number(Range{1, 3650}, "days"), 60.0,
                "days",
                "Median days from a rep taking the deal to its close (won or lost); ~40 days "
                "below $5k ACV, 84 days across B2B SaaS, 6-12 months above $100k [CY].",
                sales_field<&S::cycle_days_median>()),
      defaulted("market.segments[].sales.cycle_sigma", number(Range{0, 3}), 0.5, "log(days)",
                "Sales cycle days are lognormal: sd of log(days).", sales_field<&S::cycle_sigma>()),
      defaulted("market.segments[].sales.contract_seat_share", probability(), 0.5,
                "share of people",
                "Contract seats = max(1, round(share x the account's people)); the contract "
                "bills at least these seats during its term.",
                sales_field<&S::contract_seat_share>()),
      defaulted("market.segments[].sales.contract_price_multiplier",
                number(Range{0, 100}, "a multiplier"), 1.0, "x",
                "Contract seat price = the segment's list price x this (discounts < 1).",
                sales_field<&S::contract_price_multiplier>()),
      defaulted("market.segments[].sales.renewal_rate", probability(), 0.9, "probability",
                "A contract with an active user renews at term end; gross dollar retention "
                "~91% median, higher for large contracts [KB].",
                sales_field<&S::renewal_rate>()),
      defaulted("market.segments[].sales.ramp_start_share",
                number(Range{0, 1, true}, "a share in (0, 1]"), 1.0, "share of contract seats",
                "A ramped deal bills this share of its contract seats in its first month and "
                "rises linearly to all of them over strategy.slg.ramp_months (a phased rollout: "
                "each rise onboards people into the new seats and is booked as expansion); "
                "1 = no ramp.",
                sales_field<&S::ramp_start_share>()),
  };
}

}  // namespace

std::vector<Param> slg_params() {
  using L = SlgSpec;
  std::vector<Param> params = {
      lever_block("strategy.slg", "Sales-led growth (phase 3): leads, pipeline, reps, contracts.",
                  slg_field<&L::enabled>()),
      enabled_switch("strategy.slg.enabled", slg_field<&L::enabled>()),
      defaulted("strategy.slg.reps", schedule(Range{0, 1e6}, "a number of reps"),
                Schedule::constant(0.0), "reps",
                "Account executives on staff; capacity = reps x deals_per_rep deals at once.",
                slg_field<&L::reps>()),
      defaulted("strategy.slg.deals_per_rep", number(Range{1, 1000}, "a number of deals"), 15.0,
                "deals/rep",
                "Deals one rep works at once (an assumption: 10-25 open opportunities per AE). "
                "Deals beyond capacity wait in a queue.",
                slg_field<&L::deals_per_rep>()),
      defaulted("strategy.slg.rep_cost_usd_per_month", number(Range{0}, "an amount in USD"),
                18000.0, "USD/rep/month",
                "Fully loaded cost of one rep: ~$150k OTE x ~1.4 / 12 [BG] (counted in spend, "
                "never scaled).",
                slg_field<&L::rep_cost_usd_per_month>()),
      defaulted("strategy.slg.outbound_leads_per_rep_month",
                number(Range{0, 1e6}, "a number of accounts"), 20.0, "accounts/rep/month",
                "Accounts of sold segments that a rep's outreach turns into leads (an "
                "assumption).",
                slg_field<&L::outbound_leads_per_rep_month>()),
      defaulted("strategy.slg.outbound_contacts", integer(0, 1000, "an integer number of people"),
                integer_value(3), "people/lead",
                "People of an outbound lead's account that the outreach makes aware (the first "
                "unaware ones; awareness channel sales); an assumption: a rep multi-threads "
                "~3 contacts of the buying committee.",
                slg_field<&L::outbound_contacts>()),
      defaulted("strategy.slg.inbound_lead_per_signup", probability(), 0.05, "probability",
                "A signup in a non-customer account of a sold segment raises a hand (a lead).",
                slg_field<&L::inbound_lead_per_signup>()),
      defaulted("strategy.slg.pql_assist", boolean(), true, "",
                "With a free tier: PQL accounts of sold segments become SQLs and reps take them "
                "ahead of other deals (the hybrid PLG + sales motion).",
                slg_field<&L::pql_assist>()),
      defaulted("strategy.slg.contract_term_months", integer(1, 120, "an integer number of months"),
                integer_value(12), "months", "Contract term; renewal is decided at its end.",
                slg_field<&L::contract_term_months>()),
      defaulted("strategy.slg.true_up_months", integer(0, 120, "an integer number of months"),
                integer_value(0), "months",
                "Every this many months of a term, active users above the contract seats are "
                "added to the contract (a true-up, booked as expansion); 0: only at renewal.",
                slg_field<&L::true_up_months>()),
      defaulted("strategy.slg.ramp_months", integer(0, 120, "an integer number of months"),
                integer_value(0), "months",
                "Months over which a new contract's billed seats rise from "
                "ramp_start_share of the contract seats to all of them, in whole-month steps, "
                "within the first term; 0 = no ramp.",
                slg_field<&L::ramp_months>()),
      defaulted("strategy.slg.onboarding_share", probability(), 0.8, "share of people",
                "On a win, each person of the account not yet active is onboarded as a "
                "beginner with this probability (top-down rollout), in person order until the "
                "active users fill the contract seats.",
                slg_field<&L::onboarding_share>()),
      defaulted("strategy.slg.recycle_months", number(Range{0, 1200}, "a number of months"), 6.0,
                "months",
                "A disqualified, lost or churned account may become a lead again after this.",
                slg_field<&L::recycle_months>()),
  };
  for (Param& p : sales_team_params()) params.push_back(std::move(p));
  for (Param& p : segment_sales_params()) params.push_back(std::move(p));
  return params;
}

}  // namespace flywheel::loader
