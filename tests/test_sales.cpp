// Sales-led growth (engine/model/sales.cpp, engine/model/contracts.cpp): exact single-account rules, the
// capacity queue, contracts and renewals, and [stochastic] checks of direction and size with
// 4-standard-error tolerances; the lever switched off changes nothing; determinism.
#include "fixtures.hpp"
#include "sales_fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/common/errors.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/output/statistics.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using namespace flywheel;

using test::certain_market;
using test::hybrid;
using test::kSales;
using test::slg_market;
using test::total;

TEST_CASE("sales: a won deal signs a contract, onboards the account and counts for sales",
          "[sales]") {
  const ReplicateResult r = run_replicate(certain_market(1, 10, StepSize::week, 3), 0);
  const MonthRecord& m = r.months[0];
  // Step 0: outbound lead, MQL, SQL, a rep takes it (cycle 1 day -> 1 step); step 1: won.
  CHECK(m.sales_leads_outbound == 1);
  CHECK(m.sales_mqls == 1);
  CHECK(m.sales_sqls == 1);
  CHECK(m.deals_taken == 1);
  CHECK(m.deals_won == 1);
  CHECK(m.deals_lost == 0);
  CHECK(m.sales_wait_days == 0.0);
  CHECK(m.sales_cycle_days == 30.4375 / 4);  // one week step: a quarter of a month
  CHECK(m.awareness_by_channel[kSales] == 3);  // outreach reached 3 of the 10 (default)
  CHECK(m.onboarded_users == 5);  // onboarding fills the 5 seats bought, no more
  CHECK(m.users_by_stage[static_cast<int>(Stage::beginner)] == 5);
  CHECK(m.accounts_new == 1);
  CHECK(m.accounts_new_by_channel[kSales] == 1);
  // 5 contract seats (0.5 x 10) at 0.8 x $100 on the win, billed for the whole term.
  CHECK(m.mrr_new_cents == 5 * 8000);
  CHECK(m.mrr_expansion_cents == 0);
  CHECK(m.spend_sales_cents == 2160000);  // 1 rep x ($18,000 + 0.4 SDR x $9,000), the defaults
  CHECK(m.sales_reps == 1.0);
  for (std::size_t k = 1; k < r.months.size(); ++k) {  // a customer is no lead
    CHECK(r.months[k].sales_leads_outbound + r.months[k].sales_leads_inbound == 0);
    CHECK(r.months[k].mrr_end_cents == 5 * 8000);
  }
}

TEST_CASE("sales: deals beyond the reps' capacity wait in the queue, first come first served",
          "[sales]") {
  Scenario s = certain_market(20, 1, StepSize::week, 6);
  s.market.segments[0].sales.cycle_days_median = 60;  // round(60 / 7.61) = 8 weekly steps
  s.strategy.slg.deals_per_rep = 2;
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].sales_sqls == 20);
  CHECK(r.months[0].deals_taken == 2);
  CHECK(r.months[0].sales_queue_length == 18);
  CHECK(r.months[0].sales_pipeline == 2);
  // Slots free at steps 8 and 16 (months 2 and 4): the next two deals waited 8 and 16 steps.
  const double week = 30.4375 / 4;
  CHECK(r.months[2].deals_taken == 2);
  CHECK(r.months[2].sales_wait_days == Approx(8 * week));
  CHECK(r.months[4].deals_taken == 2);
  CHECK(r.months[4].sales_wait_days == Approx(16 * week));
  CHECK(total(r, [](const MonthRecord& m) { return m.deals_won; }) == 4);
  CHECK(r.months.back().sales_queue_length == 14);
  CHECK(r.months.back().sales_pipeline == 2);
  CHECK(r.months.back().accounts_paying == 4);
}

TEST_CASE("sales: every signup of a non-customer account raises a hand at probability 1",
          "[sales]") {
  Scenario s = certain_market(200, 1, StepSize::week, 6);
  s.strategy.slg.outbound_leads_per_rep_month = 0;
  s.strategy.slg.inbound_lead_per_signup = 1.0;
  s.initial.stage_shares = {0, 1, 0, 0, 0, 0, 0};
  s.funnel.signup_per_month = 0.3;
  const ReplicateResult r = run_replicate(s, 0);
  auto signups = [](const MonthRecord& m) {
    return std::accumulate(m.signups_by_channel.begin(), m.signups_by_channel.end(),
                           std::int64_t{0});
  };
  const std::int64_t leads = total(r, [](const MonthRecord& m) { return m.sales_leads_inbound; });
  CHECK(leads > 50);
  CHECK(leads == total(r, signups));
  CHECK(total(r, [](const MonthRecord& m) { return m.sales_leads_outbound; }) == 0);
  s.strategy.slg.inbound_lead_per_signup = 0.0;
  CHECK(total(run_replicate(s, 0), [](const MonthRecord& m) { return m.sales_leads_inbound; }) ==
        0);
}

TEST_CASE("sales: spend is reps x fully loaded cost of an AE and its SDRs, never scaled",
          "[sales]") {
  Scenario s = slg_market(1);
  s.simulation.months = 4;
  s.simulation.agent_scale = 10;
  s.strategy.slg.reps = Schedule{{{0, 3.0}, {2, 7.0}}};
  s.strategy.slg.rep_cost_usd_per_month = 15000;
  const ReplicateResult r = run_replicate(s, 0);
  // per rep: $15,000 + the default 0.4 SDR x $9,000 = $18,600
  CHECK(r.months[0].spend_sales_cents == 5580000);
  CHECK(r.months[3].spend_sales_cents == 13020000);
  CHECK(r.months[3].sales_reps == 7.0);
  const MetricValues v = derive_metrics(r.months[3], 10);
  CHECK(v[static_cast<int>(Metric::spend_sales_usd)] == 130200.0);
  CHECK(v[static_cast<int>(Metric::sales_reps)] == 7.0);
  CHECK(v[static_cast<int>(Metric::sales_sqls)] == 10.0 * double(r.months[3].sales_sqls));
}

TEST_CASE("sales: reps without a sold segment are refused", "[sales][loader]") {
  const std::string yaml =
      "name: t\nmarket:\n  people: 1000\n  segments:\n    - name: smb\n      share: 1\n"
      "strategy:\n  slg:\n    reps: 4\n";
  std::string message;
  try {
    load_scenario_text(yaml, "bad.yaml", {}, ".");
  } catch (const InputError& error) {
    message = error.diagnostics().at(0).to_string();
  }
  CHECK(message ==
        "bad.yaml:9:11: strategy.slg.reps: reps are set but no segment is sold; expected "
        "market.segments[].sales.sold: true for at least one segment, or reps 0");
  CHECK_NOTHROW(load_scenario_text(yaml + "    enabled: false\n", "ok.yaml", {}, "."));
  const Scenario ok = load_scenario_text(
      "name: t\nmarket:\n  people: 1000\n  segments:\n    - name: smb\n      share: 1\n"
      "      sales: {sold: true, sql_to_won: 0.3, cycle_days_median: 90}\n"
      "strategy:\n  slg:\n    reps: [{from_month: 0, value: 2}, {from_month: 12, value: 5}]\n",
      "ok.yaml", {}, ".");
  CHECK(ok.market.segments[0].sales.sql_to_won == 0.3);
  CHECK(ok.market.segments[0].sales.cycle_days_median == 90);
  CHECK(ok.strategy.slg.enabled);
  CHECK(ok.strategy.slg.reps.at(12) == 5.0);
  // 1 rep x 15 deals in a 1-in-40 sample: no simulated rep slot.
  message.clear();
  try {
    load_scenario_text(
        "name: t\nsimulation: {agent_scale: 40}\nmarket:\n  people: 1000\n"
        "  segments:\n    - {name: smb, share: 1, sales: {sold: true}}\n"
        "strategy:\n  slg: {reps: 1}\n",
        "bad.yaml", {}, ".");
  } catch (const InputError& error) {
    message = error.diagnostics().at(0).to_string();
  }
  CHECK(message ==
        "bad.yaml:8:15: strategy.slg.reps: 1 reps x 15 deals / agent_scale 40 rounds "
        "to no simulated rep slot; expected reps x deals_per_rep / agent_scale >= 0.5 "
        "(lower simulation.agent_scale or raise reps)");
}

TEST_CASE("sales: the lever switched off or left out gives identical outputs", "[sales]") {
  Scenario with_block = slg_market(3);
  with_block.simulation.months = 12;
  with_block.strategy.slg.enabled = false;
  Scenario without = with_block;
  without.strategy.slg = SlgSpec{};
  for (Segment& seg : without.market.segments) seg.sales = SegmentSales{};
  const RunResult a = run_scenario(with_block);
  const RunResult b = run_scenario(without);
  for (int r = 0; r < 3; ++r) CHECK(a.replicates[r].months == b.replicates[r].months);
  CHECK(timeseries_csv_text(summarize_run(a)) == timeseries_csv_text(summarize_run(b)));
  // And the PLG fixture runs as before the lever existed: no sales flow at all.
  for (const MonthRecord& m : run_replicate(test::small_plg(1, 2), 0).months) {
    CHECK(m.sales_sqls + m.deals_won + m.onboarded_users + m.spend_sales_cents == 0);
  }
}

TEST_CASE("sales: a change of reps at month 24 changes nothing before month 24", "[sales]") {
  Scenario base = slg_market(3, 9);
  Scenario more = base;
  more.strategy.slg.reps = Schedule{{{0, 2.0}, {24, 6.0}}};
  const RunResult a = run_scenario(base);
  const RunResult b = run_scenario(more);
  bool later_differs = false;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 24; ++k) CHECK(a.replicates[r].months[k] == b.replicates[r].months[k]);
    for (int k = 24; k < 36; ++k) {
      later_differs = later_differs || a.replicates[r].months[k].deals_taken !=
                                           b.replicates[r].months[k].deals_taken;
    }
  }
  CHECK(later_differs);
}

TEST_CASE("sales: MRR identity and conservation of people hold exactly with sales on", "[sales]") {
  const RunResult run = run_scenario(hybrid(4, 5));
  MonthRecord sum;
  for (const ReplicateResult& r : run.replicates) {
    test::check_mrr_identity(r);
    for (const MonthRecord& m : r.months) {
      CHECK(std::accumulate(m.users_by_stage.begin(), m.users_by_stage.end(), std::int64_t{0}) ==
            6000);
      sum.deals_won += m.deals_won;
      sum.deals_lost += m.deals_lost;
      sum.contracts_renewed += m.contracts_renewed;
      sum.contracts_lapsed += m.contracts_lapsed;
      sum.onboarded_users += m.onboarded_users;
      sum.sales_pql_sqls += m.sales_pql_sqls;
      sum.sales_leads_inbound += m.sales_leads_inbound;
      sum.sales_leads_outbound += m.sales_leads_outbound;
      sum.accounts_new_by_channel[kSales] += m.accounts_new_by_channel[kSales];
    }
  }
  // Every sales flow occurs, so the identity is exercised by contracts, not trivially.
  CHECK(sum.deals_won > 0);
  CHECK(sum.deals_lost > 0);
  CHECK(sum.contracts_renewed > 0);
  CHECK(sum.contracts_lapsed > 0);
  CHECK(sum.onboarded_users > 0);
  CHECK(sum.sales_pql_sqls > 0);
  CHECK(sum.sales_leads_inbound > 0);
  CHECK(sum.sales_leads_outbound > 0);
  CHECK(sum.accounts_new_by_channel[kSales] > 0);
}

TEST_CASE("sales: PQL assist hands PQLs to reps only when on", "[sales]") {
  Scenario s = hybrid(1, 8);
  s.simulation.months = 12;
  const ReplicateResult on = run_replicate(s, 0);
  CHECK(total(on, [](const MonthRecord& m) { return m.sales_pql_sqls; }) > 0);
  s.strategy.slg.pql_assist = false;
  const ReplicateResult off = run_replicate(s, 0);
  CHECK(total(off, [](const MonthRecord& m) { return m.sales_pql_sqls; }) == 0);
}

TEST_CASE("sales: results do not depend on the thread count", "[sales][determinism]") {
  Scenario s = slg_market(3, 21);
  s.market.people = 300000;  // ~15,000 accounts: four account blocks run in parallel
  s.simulation.months = 18;
  s.strategy.slg.reps = Schedule::constant(30.0);
  const RunResult one = run_scenario(s, {1, nullptr});
  const RunResult three = run_scenario(s, {3, nullptr});
  std::int64_t won = 0;
  for (int r = 0; r < 3; ++r) {
    CHECK(one.replicates[r].months == three.replicates[r].months);
    won += total(one.replicates[r], [](const MonthRecord& m) { return m.deals_won; });
  }
  CHECK(won > 0);
}

TEST_CASE("sales: capacity below demand makes the queue grow; ample capacity keeps it empty",
          "[sales][stochastic]") {
  const Scenario tight = slg_market(12);
  const RunResult run = run_scenario(tight);
  std::vector<double> diff;
  for (const ReplicateResult& r : run.replicates) {
    diff.push_back(double(r.months[18].sales_queue_length - r.months[6].sales_queue_length));
  }
  double mean = std::accumulate(diff.begin(), diff.end(), 0.0) / double(diff.size());
  double ss = 0;
  for (double d : diff) ss += (d - mean) * (d - mean);
  const double se = std::sqrt(ss / double(diff.size() - 1) / double(diff.size()));
  // ~20 SQLs a month arrive (80 leads x 0.5 x 0.5); ~10 slots / ~2-month cycles close ~5.
  CHECK(mean > 4 * se);
  CHECK(mean > 60);
  Scenario ample = tight;
  ample.strategy.slg.deals_per_rep = 1000;
  for (const ReplicateResult& r : run_scenario(ample).replicates) {
    for (const MonthRecord& m : r.months) CHECK(m.sales_queue_length == 0);
  }
}

TEST_CASE("sales: win rate and sales cycle match the configured rates", "[sales][stochastic]") {
  const RunResult run = run_scenario(slg_market(12, 17));
  // Closes of months 12-35: reps are saturated by then, so deals start at a steady rate and
  // the measured cycles are not biased toward short ones.
  std::vector<double> win, cycle;
  for (const ReplicateResult& r : run.replicates) {
    double won = 0, closed = 0, days = 0;
    for (int k = 12; k < 36; ++k) {
      const MonthRecord& m = r.months[k];
      won += double(m.deals_won);
      closed += double(m.deals_won + m.deals_lost);
      days += m.sales_cycle_days.value_or(0.0) * double(m.deals_won + m.deals_lost);
    }
    REQUIRE(closed > 0);
    win.push_back(won / closed);
    cycle.push_back(days / closed);
  }
  auto mean_se = [](const std::vector<double>& x) {
    const double n = double(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    return test::MeanSe{mean, std::sqrt(ss / (n - 1) / n)};
  };
  const test::MeanSe w = mean_se(win);
  CHECK(std::fabs(w.mean - 0.25) < 4 * w.se);
  // LogNormal(ln 60, 0.5) has mean 60 e^(0.125) = 67.99 days; rounding to whole weeks adds
  // under half a day of bias, allowed on top of 4 SE.
  const test::MeanSe c = mean_se(cycle);
  CHECK(std::fabs(c.mean - 60 * std::exp(0.125)) < 4 * c.se + 0.5);
  CHECK(c.se < 2.0);  // the check above is not vacuous
}
