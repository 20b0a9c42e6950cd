// Scenarios built in code for the sales tests (test_sales.cpp, test_contracts.cpp).
#pragma once

#include "checks.hpp"
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/scenario.hpp>

namespace flywheel::test {

inline constexpr int kSales = static_cast<int>(Channel::sales);

// A segment every step of whose funnel is certain: leads qualify, deals are won.
inline SegmentSales certain_sales(double cycle_days) {
  SegmentSales x;
  x.sold = true;
  x.lead_to_mql = x.mql_to_sql = x.sql_to_won = 1.0;
  x.cycle_days_median = cycle_days;
  x.cycle_sigma = 0.0;
  x.contract_seat_share = 0.5;
  x.contract_price_multiplier = 0.8;
  x.renewal_rate = 1.0;
  return x;
}

// `accounts` accounts of `size` people each, nobody aware, one rep whose outreach reaches every
// account of the lead pool at once.
inline Scenario certain_market(int accounts, int size, StepSize step, int months) {
  Scenario s;
  s.name = "certain-sales";
  s.simulation = {months, step, 1, 4, 1};
  s.market.people = static_cast<std::int64_t>(accounts) * size;
  Segment seg{"ent", 1.0, {SizeDistribution::fixed, double(size), 1, size}, 100.0, 0.0, {}};
  seg.sales = certain_sales(1.0);
  s.market.segments = {seg};
  SlgSpec& slg = s.strategy.slg;
  slg.enabled = true;
  slg.reps = Schedule::constant(1.0);
  slg.deals_per_rep = 1;
  slg.outbound_leads_per_rep_month = 1e9;
  slg.inbound_lead_per_signup = 0.0;
  slg.onboarding_share = 1.0;
  slg.recycle_months = 120;
  return s;
}

// A sales-led market with uncertain outcomes: ~1000 accounts of ~20 people, no free tier.
inline Scenario slg_market(int replicates, std::uint32_t seed = 3) {
  Scenario s;
  s.name = "slg-market";
  s.simulation = {36, StepSize::week, replicates, seed, 1};
  s.market.people = 20000;
  Segment mid{"mid", 1.0, {SizeDistribution::lognormal, 20, 0.8, 400}, 50.0, 0.0, {}};
  mid.sales.sold = true;
  mid.sales.lead_to_mql = 0.5;
  mid.sales.mql_to_sql = 0.5;
  mid.sales.sql_to_won = 0.25;
  mid.sales.cycle_days_median = 60;
  mid.sales.cycle_sigma = 0.5;
  mid.sales.renewal_rate = 0.9;
  s.market.segments = {mid};
  s.acquisition.innovation_p_per_month = 0.02;
  s.funnel.signup_per_month = 0.2;
  s.funnel.activation_per_month = 0.5;
  s.funnel.activation_window_days = 30;
  s.funnel.adoption_per_month = 0.3;
  s.funnel.churn_per_month = {0, 0, 0, 0.05, 0.02, 0.01, 0};
  SlgSpec& slg = s.strategy.slg;
  slg.enabled = true;
  slg.reps = Schedule::constant(2.0);
  slg.deals_per_rep = 5;  // capacity 10 deals at once: ~5 closes a month
  slg.outbound_leads_per_rep_month = 40;
  slg.inbound_lead_per_signup = 0.05;
  return s;
}

// The small PLG market of the fixtures with sales working both segments (PLG + sales).
inline Scenario hybrid(int replicates, std::uint32_t seed) {
  Scenario s = small_plg(replicates, seed);
  s.simulation.months = 30;
  for (Segment& seg : s.market.segments) {
    seg.sales.sold = true;
    seg.sales.cycle_days_median = 45;
    seg.sales.renewal_rate = 0.8;
  }
  s.strategy.slg.enabled = true;
  s.strategy.slg.reps = Schedule{{{0, 1.0}, {12, 3.0}}};
  s.strategy.slg.contract_term_months = 6;
  return s;
}

}  // namespace flywheel::test
