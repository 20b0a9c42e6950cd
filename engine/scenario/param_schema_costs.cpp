// Schema part: operating costs that make CAC, burn and cash complete (docs/model.md, phase 5):
// the sales team around the reps (strategy.slg), the community's acquisition share
// (strategy.clg), and G&A, hosting and starting cash (economics).
#include "param_schema_parts.hpp"

namespace flywheel::loader {

namespace {

template <auto... Members>
Accessor economics_field() {
  return field<&Scenario::economics, Members...>();
}

}  // namespace

// Sources cited below:
//   [BG16] The Bridge Group, Sales Development Metrics and Compensation (2016): one SDR supports
//          ~2.5 AEs in SaaS (1.5-3.4 by company size); TOPO Sales Development Benchmark (2015)
//          finds the same 1:2.5 average.
//   [MTS]  John Care, Mastering Technical Sales (2013, "How much is an SE worth?"): ~$150k base
//          and commission + ~40% overhead = ~$210k/year, ~$250k with travel and training.
//   [BSV]  Blossom Street Ventures, "SaaS spend as a percent of revenue" (81 SaaS IPOs since
//          2017): median COGS 29%, S&M 48%, R&D 26%, G&A 21% of revenue.
std::vector<Param> sales_team_params() {
  using L = SlgSpec;
  return {
      defaulted("strategy.slg.sdrs_per_rep", number(Range{0, 100}, "a ratio"), 0.4, "SDRs/AE",
                "Sales development reps per account executive (they qualify inbound and "
                "prospect outbound; their effect is in the lead rates): 1 SDR per ~2.5 AEs "
                "[BG16]. Counted in sales spend and CAC.",
                slg_field<&L::sdrs_per_rep>()),
      defaulted("strategy.slg.sdr_cost_usd_per_month", number(Range{0}, "an amount in USD"), 9000.0,
                "USD/SDR/month",
                "Fully loaded cost of one SDR. An assumption: ~$75k OTE x ~1.4 / 12.",
                slg_field<&L::sdr_cost_usd_per_month>()),
      defaulted("strategy.slg.ses_per_rep", number(Range{0, 100}, "a ratio"), 0.0, "SEs/AE",
                "Sales engineers (pre-sales) per account executive; 0 unless the scenario says "
                "it (technical enterprise sales often plan ~1 SE per 2-4 AEs: an assumption).",
                slg_field<&L::ses_per_rep>()),
      defaulted("strategy.slg.se_cost_usd_per_month", number(Range{0}, "an amount in USD"), 20000.0,
                "USD/SE/month",
                "Fully loaded cost of one sales engineer: ~$240k/year with travel and training / "
                "12 [MTS].",
                slg_field<&L::se_cost_usd_per_month>()),
      defaulted("strategy.slg.programs_usd_per_month", schedule(Range{0}, "an amount in USD"),
                Schedule::constant(0.0), "USD/month",
                "Marketing programs for sales (events, account-based marketing, sales content). "
                "A cost only: their effect is in the scenario's lead rates. Counted in sales "
                "spend and CAC.",
                slg_field<&L::programs_usd_per_month>()),
  };
}

std::vector<Param> community_cost_params() {
  return {
      defaulted("strategy.clg.acquisition_share", probability(), 1.0, "share",
                "Share of community spend counted as acquisition in CAC; the rest (support, "
                "retention) is operating cost only. 1 = all of it, the conservative CAC.",
                field<&Scenario::strategy, &StrategySpec::clg, &ClgSpec::acquisition_share>()),
  };
}

std::vector<Param> operating_cost_params() {
  using E = EconomicsSpec;
  return {
      defaulted("economics.ga_usd_per_month", schedule(Range{0}, "an amount in USD"),
                Schedule::constant(0.0), "USD/month",
                "General and administrative cost (finance, legal, HR, offices): ~21% of revenue "
                "at IPO [BSV]; 0 unless the scenario says it. Counted in spend and burn.",
                economics_field<&E::ga_usd_per_month>()),
      defaulted("economics.hosting_usd_per_active_user_month", number(Range{0}, "an amount in USD"),
                0.0, "USD/user/month",
                "Hosting and infrastructure per active user, free or paying (COGS): gross "
                "profit = revenue x gross_margin - this x active users. 0 unless the scenario "
                "says it.",
                economics_field<&E::hosting_usd_per_active_user_month>()),
      defaulted("economics.starting_cash_usd", number(Range{0}, "an amount in USD"), 0.0, "USD",
                "Cash at month 0; cash = this - cumulative net burn, negative when the plan "
                "needs more funding than this.",
                economics_field<&E::starting_cash_usd>()),
  };
}

}  // namespace flywheel::loader
