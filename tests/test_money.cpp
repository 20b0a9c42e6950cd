// Phase 5 and unit economics: spend by lever, gross profit, burn, CAC, payback, LTV.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

namespace {

double metric(const MetricValues& v, Metric m) {
  return v[static_cast<int>(m)];
}

}  // namespace

TEST_CASE("unit economics follow their formulas, scaled by agent_scale where they count",
          "[money][metrics]") {
  MonthRecord r;
  r.spend_marketing_cents = 3'000'000;  // $30k
  r.spend_sales_cents = 6'000'000;      // $60k
  r.spend_community_cents = 1'000'000;  // $10k
  r.spend_product_cents = 5'000'000;    // $50k
  r.spend_ga_cents = 2'000'000;         // $20k
  r.gross_margin = 0.75;
  r.mrr_end_cents = 2'000'000;  // $20k simulated, x10 = $200k real
  r.accounts_paying = 400;      // x10 = 4000
  r.accounts_paying_start = 380;
  r.accounts_churned = 4;     // logo churn 4 / 380
  r.churned_t12m = 40;        // trailing year: 40 / 1000 = 4% a month, a 25-month lifetime
  r.paying_start_t12m = 1000;
  r.accounts_new_by_channel[static_cast<int>(Channel::paid)] = 10;
  r.accounts_new_by_channel[static_cast<int>(Channel::sales)] = 5;
  r.accounts_new_by_channel[static_cast<int>(Channel::organic)] = 10;
  // The ledger's real-money fields (month_money.cpp), as it would write them.
  r.revenue_cents = 20'000'000;
  r.gross_profit_cents = 14'000'000;  // $150k - $10k hosting
  r.net_burn_cents = 17'000'000 - 14'000'000;
  r.acquisition_quarter_cents = 30'000'000;   // $300k over three months
  r.accounts_new_quarter = 60;                // x10 = 600 real accounts
  r.mrr_new_quarter_cents = 3'000'000;        // $30k real new MRR: $50 per new account
  r.gross_profit_quarter_cents = 42'000'000;  // over revenue 60M: a 70% margin
  r.revenue_quarter_cents = 60'000'000;
  const MetricValues v = derive_metrics(r, 10);

  CHECK(metric(v, Metric::spend_total_usd) == Approx(170'000));
  CHECK(metric(v, Metric::gross_profit_usd) == Approx(140'000));
  CHECK(metric(v, Metric::burn_usd) == Approx(30'000));
  CHECK(metric(v, Metric::gross_margin) == Approx(0.7));
  const double cac = 300'000.0 / 600;  // the quarter's acquisition spend over its new accounts
  CHECK(metric(v, Metric::cac_usd) == Approx(cac));
  CHECK(metric(v, Metric::cac_marketing_usd) == Approx(30'000.0 / 100));
  CHECK(metric(v, Metric::cac_sales_usd) == Approx(60'000.0 / 50));
  CHECK(std::isnan(metric(v, Metric::cac_community_usd)));  // no community accounts
  CHECK(metric(v, Metric::cac_payback_months) == Approx(cac / (50 * 0.7)));
  const double ltv = (200'000.0 / 4000) * 0.75 * 25;
  CHECK(metric(v, Metric::ltv_usd) == Approx(ltv));
  CHECK(metric(v, Metric::ltv_to_cac) == Approx(ltv / cac));
}

TEST_CASE("spend by lever follows the scenario's schedules, unscaled", "[money][engine]") {
  Scenario s = test::small_plg(1, 2);
  s.simulation.agent_scale = 5;
  s.market.people = 30000;
  s.economics.product_spend_usd_per_month = Schedule{{{0, 1000.0}, {3, 2500.5}}};
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].spend_marketing_cents == 200'000);
  CHECK(r.months[6].spend_marketing_cents == 600'000);
  CHECK(r.months[2].spend_product_cents == 100'000);
  CHECK(r.months[3].spend_product_cents == 250'050);
  const MetricValues v = derive_metrics(r.months[3], 5);
  CHECK(metric(v, Metric::spend_product_usd) == Approx(2500.5));
  CHECK(metric(v, Metric::spend_total_usd) == Approx(2000 + 2500.5));
}

TEST_CASE("new paying accounts are attributed to the channel of their first user",
          "[money][engine]") {
  const RunResult run = run_scenario(test::small_plg(3, 6));
  for (const ReplicateResult& r : run.replicates) {
    std::int64_t by_channel = 0, paid = 0, organic = 0;
    for (const MonthRecord& m : r.months) {
      for (std::int64_t n : m.accounts_new_by_channel) by_channel += n;
      paid += m.accounts_new_by_channel[static_cast<int>(Channel::paid)];
      organic += m.accounts_new_by_channel[static_cast<int>(Channel::organic)];
      CHECK(m.accounts_new_by_channel[static_cast<int>(Channel::sales)] == 0);  // no SLG
    }
    std::int64_t accounts_new = 0;
    for (const MonthRecord& m : r.months) accounts_new += m.accounts_new;
    CHECK(by_channel == accounts_new);
    CHECK(paid > 0);
    CHECK(organic > 0);
  }
}
