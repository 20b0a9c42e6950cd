// Operating costs, burn, cash and the trailing windows (engine/model/month_money.cpp): the rule
// on hand-made months, then its identities on whole runs.
#include "fixtures.hpp"
#include "model/month_money.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

namespace {

double metric(const MetricValues& v, Metric m) {
  return v[static_cast<int>(m)];
}

// A month with MRR `mrr` (simulated cents), `users` active users and $1000 of every spend.
MonthRecord month(std::int64_t mrr_start, std::int64_t mrr, std::int64_t users,
                  std::int64_t accounts_new, std::int64_t mrr_new) {
  MonthRecord r;
  r.mrr_start_cents = mrr_start;
  r.mrr_end_cents = mrr;
  r.active_users = users;
  r.accounts_new = accounts_new;
  r.mrr_new_cents = mrr_new;
  r.spend_marketing_cents = r.spend_sales_cents = r.spend_community_cents = 100'000;
  r.spend_product_cents = r.spend_referral_cents = 100'000;
  return r;
}

}  // namespace

TEST_CASE("a month's gross profit, burn, cash and windows follow the rule in cents",
          "[money][rule]") {
  const model::MoneyRules rules{10, 0.8, 50, 1'000'000'00};  // x10, 80%, $0.50/user, $1M cash
  model::MonthSpend spend;
  spend.ga_cents = 200'000;
  spend.community_acquisition_cents = 40'000;  // 40% of the community's $1000
  std::vector<MonthRecord> past;
  // Month 1: MRR $100 -> $150 simulated ($1500 real), 100 users (1000 real).
  MonthRecord a = month(10'000, 15'000, 100, 2, 5'000);
  model::close_money(a, spend, past, rules);
  CHECK(a.spend_ga_cents == 200'000);
  CHECK(a.spend_acquisition_cents == 100'000 * 3 + 40'000);  // marketing, sales, referral + 40%
  CHECK(a.revenue_cents == 150'000);
  CHECK(a.cogs_hosting_cents == 1000 * 50);
  CHECK(a.gross_profit_cents == 120'000 - 50'000);
  CHECK(a.net_burn_cents == 700'000 - 70'000);  // six levers of spend (G&A $2000)
  CHECK(a.cash_cents == 1'000'000'00 - 630'000);
  CHECK(a.spend_cumulative_cents == 700'000);
  CHECK(a.accounts_new_quarter == 2);
  CHECK(a.mrr_new_quarter_cents == 50'000);
  CHECK(a.net_new_mrr_quarter_cents == 10 * (15'000 - 10'000));  // since the start of month 0
  CHECK(!a.mrr_year_ago_cents);
  past.push_back(a);
  // Months 2-12 with MRR rising by $10 simulated each month; the quarter drops month 1 at 4.
  for (int m = 2; m <= 12; ++m) {
    const std::int64_t start = past.back().mrr_end_cents;
    MonthRecord r = month(start, start + 1'000, 100, 1, 1'000);
    model::close_money(r, spend, past, rules);
    CHECK(r.cash_cents == past.back().cash_cents - r.net_burn_cents);
    CHECK(r.gross_profit_cumulative_cents ==
          past.back().gross_profit_cumulative_cents + r.gross_profit_cents);
    if (m >= 3) {
      CHECK(r.accounts_new_quarter == (m == 3 ? 4 : 3));
      // month 3's quarter starts at month 1's start ($100), later ones $30 below their end
      CHECK(r.net_new_mrr_quarter_cents == 10 * (m == 3 ? 7'000 : 3'000));
      CHECK(r.net_burn_quarter_cents ==
            r.net_burn_cents + past.back().net_burn_cents + past[past.size() - 2].net_burn_cents);
    }
    CHECK(r.mrr_year_ago_cents.has_value() == (m == 12));
    past.push_back(r);
  }
  // Month 12's year: MRR 12 months ago is the start of month 1; 12 months of burn and revenue.
  const MonthRecord& last = past.back();
  CHECK(*last.mrr_year_ago_cents == 10'000);
  std::int64_t burn = 0, revenue = 0;
  for (const MonthRecord& r : past) burn += r.net_burn_cents, revenue += r.revenue_cents;
  CHECK(*last.net_burn_year_cents == burn);
  CHECK(*last.revenue_year_cents == revenue);

  const MetricValues v = derive_metrics(last, 10);
  CHECK(metric(v, Metric::arr_growth_yoy) == Approx(26'000.0 / 10'000 - 1));
  CHECK(metric(v, Metric::fcf_margin) == Approx(-static_cast<double>(burn) / revenue));
  CHECK(metric(v, Metric::rule_of_40) == Approx(1.6 - static_cast<double>(burn) / revenue));
  CHECK(metric(v, Metric::burn_multiple) ==
        Approx(static_cast<double>(last.net_burn_quarter_cents) / (12.0 * 30'000)));
  CHECK(metric(v, Metric::cash_usd) == Approx(last.cash_cents / 100.0));
}

TEST_CASE("the burn multiple is undefined when ARR did not grow over the quarter",
          "[money][rule]") {
  MonthRecord r;
  r.net_burn_quarter_cents = 1'000'000;
  r.net_new_mrr_quarter_cents = 0;
  CHECK(std::isnan(metric(derive_metrics(r, 1), Metric::burn_multiple)));
  r.net_new_mrr_quarter_cents = -5;
  CHECK(std::isnan(metric(derive_metrics(r, 1), Metric::burn_multiple)));
  r.net_new_mrr_quarter_cents = 1'000;
  CHECK(metric(derive_metrics(r, 1), Metric::burn_multiple) == Approx(1'000'000 / 12'000.0));
}

TEST_CASE("the sales team's cost counts AEs, SDRs, SEs and programs, unscaled", "[money][engine]") {
  Scenario s = test::small_plg(1, 2);
  s.simulation.agent_scale = 5;
  s.strategy.slg.enabled = true;
  s.strategy.slg.reps = Schedule{{{0, 2.0}, {4, 4.0}}};
  s.strategy.slg.rep_cost_usd_per_month = 10'000;
  s.strategy.slg.sdrs_per_rep = 0.5;
  s.strategy.slg.sdr_cost_usd_per_month = 6'000;
  s.strategy.slg.ses_per_rep = 0.25;
  s.strategy.slg.se_cost_usd_per_month = 16'000;
  s.strategy.slg.programs_usd_per_month = Schedule::constant(7'000);
  s.economics.ga_usd_per_month = Schedule::constant(3'000);
  s.economics.hosting_usd_per_active_user_month = 0.25;
  s.economics.starting_cash_usd = 2e6;
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].spend_sales_cents == (2 * (10'000 + 3'000 + 4'000) + 7'000) * 100);
  CHECK(r.months[5].spend_sales_cents == (4 * (10'000 + 3'000 + 4'000) + 7'000) * 100);
  std::int64_t cash = 2'000'000'00;
  for (const MonthRecord& m : r.months) {
    CHECK(m.spend_ga_cents == 300'000);
    CHECK(m.cogs_hosting_cents == m.active_users * 5 * 25);
    CHECK(m.revenue_cents == m.mrr_end_cents * 5);
    cash -= m.net_burn_cents;
    CHECK(m.cash_cents == cash);
  }
}
