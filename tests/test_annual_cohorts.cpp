// Annual, cohort-based retention and the cohort retention triangle
// (engine/model/annual_cohorts.cpp, the ledger's trailing churn, engine/output/cohorts.cpp) and
// LTV defined every month (engine/spec/metrics.cpp).
#include "checks.hpp"
#include "fixtures.hpp"

#include "kernels/parallel_blocks.hpp"
#include "model/annual_cohorts.hpp"
#include "model/population.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <sstream>

using namespace flywheel;

namespace {

double metric(const MetricValues& v, Metric m) {
  return v[static_cast<int>(m)];
}

// n one-person accounts at $10 a seat, monthly steps, nobody moving on their own.
Scenario still_accounts(std::int64_t n, int months) {
  Scenario s;
  s.name = "still-accounts";
  s.simulation = {months, StepSize::month, 1, 3, 1};
  s.market.people = n;
  Segment solo;
  solo.name = "solo";
  solo.account_size = {SizeDistribution::fixed, 1, 1, 1};
  solo.price_usd_per_seat_month = 10.0;
  s.market.segments = {solo};
  s.initial.stage_shares = {0, 0, 0, 0, 1, 0, 0};  // all regulars
  s.strategy.plg.enabled = true;
  return s;
}

void pay(model::Accounts& acc, std::uint32_t a, int seats) {
  acc.plan[a] = model::Plan::paid;
  acc.seats[a] = seats;
  acc.origin[a] = static_cast<std::uint8_t>(Channel::organic);
}

}  // namespace

TEST_CASE("annual cohorts: each account is compared with its own MRR 12 month ends ago",
          "[annual][rule]") {
  const Scenario s = still_accounts(4, 14);
  const model::Model m(s, 0);
  model::ReplicateState state = model::build_population(m);
  model::Accounts& acc = state.accounts;
  REQUIRE(acc.size() == 4);
  std::vector<model::AccountTally> blocks(1);
  pay(acc, 0, 1);                   // $10
  pay(acc, 1, 2);                   // $20
  pay(acc, 2, 3);                   // $30
  state.mrr_cents = 6000;           // as the accounts phase leaves it
  state.people.signup_step[0] = 0;  // person 0 (account 0) signed up in month 0
  for (int month = 0; month < 12; ++month) {
    blocks[0] = {};
    model::close_cohort_month(m, state, month, blocks);
    CHECK(blocks[0].annual_base_accounts == 0);  // nobody paid 12 month ends before
    CHECK(blocks[0].cohort_accounts_new == (month == 0 ? 3 : 0));
  }
  acc.plan[0] = model::Plan::cancelled;  // churned: $10 -> 0
  acc.seats[0] = 0;
  acc.seats[1] = 4;  // expanded: $20 -> $40
  acc.seats[2] = 1;  // contracted: $30 -> $10
  pay(acc, 3, 5);    // new this year: not in the base
  state.mrr_cents = 10000;
  blocks[0] = {};
  model::close_cohort_month(m, state, 12, blocks);
  const model::AccountTally& t = blocks[0];
  CHECK(t.annual_base_accounts == 3);
  CHECK(t.annual_retained_accounts == 2);
  CHECK(t.annual_base_mrr_cents == 6000);
  CHECK(t.annual_now_mrr_cents == 5000);   // 0 + 4000 + 1000
  CHECK(t.annual_kept_mrr_cents == 3000);  // min(0, 1000) + min(4000, 2000) + min(1000, 3000)
  CHECK(t.cohort_accounts_new == 1);
  REQUIRE(t.accounts_paying_by_cohort.size() == 13);
  CHECK(t.accounts_paying_by_cohort[0] == 2);
  CHECK(t.accounts_paying_by_cohort[12] == 1);
  CHECK(t.users_active_by_cohort[0] == 1);  // person 0 is still a regular
  // A year on, the month-12 MRRs are the base: account 3 ($50) now in it, account 0 not.
  for (int month = 13; month <= 24; ++month) {
    blocks[0] = {};
    model::close_cohort_month(m, state, month, blocks);
  }
  CHECK(blocks[0].annual_base_accounts == 3);
  CHECK(blocks[0].annual_base_mrr_cents == 4000 + 1000 + 5000);
  CHECK(blocks[0].annual_now_mrr_cents == 10000);
}

TEST_CASE("annual metrics: NRR, GRR, logo retention from the counts; NaN without a lookback",
          "[annual][metrics]") {
  MonthRecord r;
  r.annual_base_accounts = 3;
  r.annual_retained_accounts = 2;
  r.annual_base_mrr_cents = 6000;
  r.annual_now_mrr_cents = 5000;
  r.annual_kept_mrr_cents = 3000;
  r.churned_t12m = 6;
  r.paying_start_t12m = 200;
  r.annual_lookback = true;
  MetricValues v = derive_metrics(r, 10);
  CHECK(metric(v, Metric::nrr_annual) == Approx(5.0 / 6.0));
  CHECK(metric(v, Metric::grr_annual) == Approx(0.5));
  CHECK(metric(v, Metric::logo_retention_annual) == Approx(2.0 / 3.0));
  CHECK(metric(v, Metric::logo_churn_t12m) == Approx(0.03));
  r.annual_lookback = false;  // the month 12 months back lies before month 0
  v = derive_metrics(r, 10);
  for (Metric m : {Metric::nrr_annual, Metric::grr_annual, Metric::logo_retention_annual,
                   Metric::logo_churn_t12m}) {
    CHECK(std::isnan(metric(v, m)));
  }
}

TEST_CASE("LTV is ARPA x margin x a lifetime from trailing churn, capped at 60 months",
          "[annual][money][metrics]") {
  MonthRecord r;
  r.gross_margin = 0.8;
  r.mrr_end_cents = 100'000;  // $1000 over 20 accounts: ARPA $50 (scale cancels)
  r.accounts_paying = 20;
  r.churned_t12m = 10;
  r.paying_start_t12m = 250;  // 4% a month: 25 months
  MetricValues v = derive_metrics(r, 3);
  CHECK(metric(v, Metric::ltv_lifetime_months) == Approx(25));
  CHECK(metric(v, Metric::ltv_usd) == Approx(50 * 0.8 * 25));
  r.churned_t12m = 1;  // 0.4% a month: 250 months, capped
  v = derive_metrics(r, 3);
  CHECK(metric(v, Metric::ltv_lifetime_months) == Approx(60));
  r.churned_t12m = r.paying_start_t12m = 0;  // the first paying month: nothing observed yet
  v = derive_metrics(r, 3);
  CHECK(metric(v, Metric::ltv_usd) == Approx(50 * 0.8 * 60));
  r.accounts_paying = 0;
  r.mrr_end_cents = 0;
  v = derive_metrics(r, 3);
  CHECK(std::isnan(metric(v, Metric::ltv_usd)));  // no paying account: no LTV
}

TEST_CASE("annual cohorts: the ledger's trailing churn and the triangle add up in a run",
          "[annual][engine]") {
  const Scenario s = test::small_plg(2, 5);
  for (std::uint32_t rep = 0; rep < 2; ++rep) {
    const ReplicateResult r = run_replicate(s, rep);
    std::int64_t new_total = 0;
    for (std::size_t m = 0; m < r.months.size(); ++m) {
      const MonthRecord& x = r.months[m];
      CHECK(x.annual_lookback == (m >= 11));
      // Every paying account belongs to the cohort of its first paid month.
      CHECK(std::accumulate(x.accounts_paying_by_cohort.begin(), x.accounts_paying_by_cohort.end(),
                            std::int64_t{0}) == x.accounts_paying);
      new_total += x.cohort_accounts_new;
      CHECK(new_total == x.accounts_converted_total);
      // The window: the last min(12, m + 1) months' churned and paying at start.
      const std::size_t from = m + 1 >= 12 ? m + 1 - 12 : 0;
      std::int64_t churned = 0, paying = 0;
      for (std::size_t k = from; k <= m; ++k) {
        churned += r.months[k].accounts_churned;
        paying += r.months[k].accounts_paying_start;
      }
      CHECK(x.churned_t12m == churned);
      CHECK(x.paying_start_t12m == paying);
      CHECK(x.annual_kept_mrr_cents <= std::min(x.annual_base_mrr_cents, x.annual_now_mrr_cents));
      CHECK(x.annual_retained_accounts <= x.annual_base_accounts);
    }
    CHECK(r.months[17].annual_base_accounts > 0);
  }
}

TEST_CASE("annual logo retention of a constant cancellation hazard is (1 - c)^12 (4 SE)",
          "[annual][stochastic]") {
  // 20000 one-person accounts all convert in month 1 and cancel at c a month; nothing else moves.
  Scenario s = still_accounts(20000, 14);
  const double c = 0.05;
  s.market.segments[0].cancel_per_month = c;
  s.strategy.plg.free_conversion_per_month = Schedule{{{0, 1.0}, {1, 0.0}}};
  const ReplicateResult r = run_replicate(s, 0);
  REQUIRE(r.months[0].accounts_paying == 20000);
  const MetricValues v = derive_metrics(r.months[12], 1);  // month 13 against month 1
  const double p = std::pow(1.0 - c, 12);
  const double se = std::sqrt(p * (1.0 - p) / 20000.0);
  CHECK(std::abs(metric(v, Metric::logo_retention_annual) - p) < 4 * se);
  // One seat each: revenue retention is logo retention, and nobody expands.
  CHECK(metric(v, Metric::grr_annual) == Approx(metric(v, Metric::logo_retention_annual)));
  CHECK(metric(v, Metric::nrr_annual) == Approx(metric(v, Metric::grr_annual)));
  // Trailing churn over months 2..13: c, within 4 SE of a binomial share.
  const double exposure = static_cast<double>(r.months[12].paying_start_t12m);
  CHECK(std::abs(metric(v, Metric::logo_churn_t12m) - c) < 4 * std::sqrt(c * (1 - c) / exposure));
  CHECK(metric(v, Metric::ltv_lifetime_months) == Approx(1.0 / c).epsilon(0.1));
}

TEST_CASE("cohorts.csv: one row per kind, cohort and age, shares from the runs' counts",
          "[annual][output]") {
  Scenario s = test::small_plg(3, 9);
  s.simulation.months = 6;
  const RunResult run = run_scenario(s);
  const std::string text = cohorts_csv_text(run);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  CHECK(line == "kind,cohort_month,age_months,cohort_size,mean,sd,p5,p25,p50,p75,p95,n");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  CHECK(rows == 2 * (6 * 7 / 2));
  // accounts of cohort month 2 at age 3: the mean over replicates of paying / first paid.
  double sum = 0;
  int n = 0;
  for (const ReplicateResult& r : run.replicates) {
    const std::int64_t size = r.months[1].cohort_accounts_new;
    if (size == 0) continue;
    sum += static_cast<double>(r.months[4].accounts_paying_by_cohort[1]) / size;
    ++n;
  }
  REQUIRE(n > 0);
  const std::string prefix = "accounts,2,3,";
  const auto at = text.find(prefix);
  REQUIRE(at != std::string::npos);
  std::istringstream row(text.substr(at + prefix.size()));
  std::string size_field, mean_field;
  std::getline(row, size_field, ',');
  std::getline(row, mean_field, ',');
  CHECK(std::stod(mean_field) == Approx(sum / n));
  CHECK(cohorts_csv_text(run) == text);
}
