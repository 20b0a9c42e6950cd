// Sales contracts (engine/model/contracts.cpp): the term's seats, no mid-term cancellation, renewal
// with a true-up of seats, lapse at term end.
#include "sales_fixtures.hpp"

#include <flywheel/model/engine.hpp>

#include <catch2/catch.hpp>

using namespace flywheel;
using test::certain_market;
using test::total;

TEST_CASE("contracts: a contract bills its seats for the whole term and lapses at its end",
          "[sales][contracts]") {
  Scenario s = certain_market(1, 10, StepSize::month, 16);
  s.market.segments[0].cancel_per_month = 1.0;    // self-serve billing would cancel
  s.market.segments[0].sales.renewal_rate = 0.0;  // the contract will not renew
  s.funnel.churn_per_month[static_cast<int>(Stage::beginner)] = 0.9;  // users leave
  const ReplicateResult r = run_replicate(s, 0);
  // Step 0: taken; step 1: won, term of 12 monthly steps to step 13.
  CHECK(r.months[1].deals_won == 1);
  for (int k = 1; k < 13; ++k) {
    CHECK(r.months[k].accounts_paying == 1);
    CHECK(r.months[k].mrr_end_cents >= 5 * 8000);  // never below the contract seats
  }
  CHECK(r.months[12].active_users == 0);
  CHECK(r.months[13].contracts_lapsed == 1);
  CHECK(r.months[13].accounts_churned == 1);
  CHECK(r.months[13].mrr_churned_cents == 5 * 8000);
  CHECK(r.months[13].accounts_paying == 0);
  CHECK(total(r, [](const MonthRecord& m) { return m.contracts_renewed; }) == 0);
}

TEST_CASE("contracts: a renewing contract trues its seats up to the active users",
          "[sales][contracts]") {
  Scenario s = certain_market(1, 10, StepSize::month, 16);
  s.market.segments[0].sales.contract_seat_share = 1.0;  // 10 seats signed
  s.market.segments[0].sales.renewal_rate = 1.0;
  s.strategy.slg.onboarding_share = 0.0;  // nobody uses it: 0 active users at renewal
  s.market.segments[0].account_size.max_people = 10;
  const ReplicateResult r0 = run_replicate(s, 0);
  CHECK(r0.months[13].contracts_lapsed == 1);  // renewal needs an active user
  s.strategy.slg.onboarding_share = 1.0;
  s.market.segments[0].sales.contract_seat_share = 0.2;  // 2 seats signed, 10 users
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[13].contracts_renewed == 1);
  CHECK(r.months[13].contracts_lapsed == 0);
  CHECK(r.months[13].accounts_paying == 1);
  CHECK(r.months[15].mrr_end_cents == 10 * 8000);
}
