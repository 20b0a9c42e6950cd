// Sales contracts (engine/model/contracts.cpp): the term's seats, no mid-term cancellation,
// onboarding into the seats bought, in-term true-ups, renewal with a true-up of seats, lapse at
// term end.
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

namespace {

// One account of 10 people, 2 contract seats: everyone hears of the product at once, signs up,
// and activates as soon as the account can use it (step 2, the step after the win), and no
// one churns, so 8 active users exceed the contract from step 2 on.
Scenario outgrown_contract(int true_up_months) {
  Scenario s = certain_market(1, 10, StepSize::month, 16);
  s.market.segments[0].sales.contract_seat_share = 0.2;
  s.acquisition.innovation_p_per_month = 50.0;  // a Bass rate per month: aware at step 0
  s.funnel.signup_per_month = 1.0;
  s.funnel.activation_per_month = 1.0;
  s.strategy.slg.true_up_months = true_up_months;
  return s;
}

}  // namespace

TEST_CASE("contracts: onboarding fills the seats bought, no more", "[sales][contracts]") {
  Scenario s = certain_market(1, 10, StepSize::month, 4);
  s.market.segments[0].sales.contract_seat_share = 0.3;  // 3 seats of 10 people
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[1].deals_won == 1);
  CHECK(r.months[1].onboarded_users == 3);  // onboarding_share 1, stopped at the 3 seats
  for (int k = 1; k < 4; ++k) CHECK(r.months[k].mrr_end_cents == 3 * 8000);
  CHECK(total(r, [](const MonthRecord& m) { return m.mrr_expansion_cents; }) == 0);
  test::check_mrr_identity(r);
}

TEST_CASE("contracts: usage above the contract is billed at a true-up, not before",
          "[sales][contracts]") {
  // Won at step 1 (term to step 13): true-ups every 3 months at steps 4, 7 and 10.
  const ReplicateResult r = run_replicate(outgrown_contract(3), 0);
  CHECK(r.months[2].active_users == 10);
  CHECK(r.months[2].mrr_end_cents == 2 * 8000);  // in term: the contract's seats
  CHECK(r.months[3].mrr_end_cents == 2 * 8000);
  CHECK(r.months[4].contract_true_ups == 1);
  CHECK(r.months[4].mrr_expansion_cents == 8 * 8000);
  CHECK(r.months[4].mrr_end_cents == 10 * 8000);
  CHECK(total(r, [](const MonthRecord& m) { return m.contract_true_ups; }) == 1);  // then none
  test::check_mrr_identity(r);
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
  // 2 seats signed, 10 users from step 2; without in-term true-ups, the renewal trues up.
  const ReplicateResult r = run_replicate(outgrown_contract(0), 0);
  CHECK(r.months[12].mrr_end_cents == 2 * 8000);
  CHECK(total(r, [](const MonthRecord& m) { return m.contract_true_ups; }) == 0);
  CHECK(r.months[13].contracts_renewed == 1);
  CHECK(r.months[13].contracts_lapsed == 0);
  CHECK(r.months[13].mrr_expansion_cents == 8 * 8000);
  CHECK(r.months[13].accounts_paying == 1);
  CHECK(r.months[15].mrr_end_cents == 10 * 8000);
  test::check_mrr_identity(r);
}

TEST_CASE("contracts: a ramped deal bills and onboards its seats in monthly waves",
          "[sales][contracts]") {
  Scenario s = certain_market(1, 10, StepSize::month, 16);
  s.market.segments[0].sales.contract_seat_share = 0.8;  // 8 seats of 10 people
  s.market.segments[0].sales.ramp_start_share = 0.25;
  s.strategy.slg.ramp_months = 4;
  const ReplicateResult r = run_replicate(s, 0);
  // Won at step 1; whole months since the win 0..4 bill 8 x (0.25 + 0.75 m / 4) seats, rounded:
  // 2, 3.5 -> 4, 5, 6.5 -> 7, 8; each wave onboards its seats (onboarding_share 1).
  const int seats[] = {2, 4, 5, 7, 8};
  for (int m = 0; m < 5; ++m) {
    INFO("month since the win " << m);
    CHECK(r.months[1 + m].mrr_end_cents == seats[m] * 8000);
    CHECK(r.months[1 + m].onboarded_users == seats[m] - (m == 0 ? 0 : seats[m - 1]));
    CHECK(r.months[1 + m].mrr_expansion_cents == (m == 0 ? 0 : (seats[m] - seats[m - 1]) * 8000));
  }
  CHECK(r.months[1].mrr_new_cents == 2 * 8000);
  for (int k = 6; k < 13; ++k) CHECK(r.months[k].mrr_end_cents == 8 * 8000);
  CHECK(r.months[13].contracts_renewed == 1);  // renewal: trued up to the 8 active users
  CHECK(r.months[14].mrr_end_cents == 8 * 8000);
  test::check_mrr_identity(r);
}

TEST_CASE("contracts: without ramp_months the contract bills all its seats from the win",
          "[sales][contracts]") {
  Scenario s = certain_market(1, 10, StepSize::month, 4);
  s.market.segments[0].sales.contract_seat_share = 0.8;
  s.market.segments[0].sales.ramp_start_share = 0.25;  // no effect: ramp_months = 0
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[1].mrr_new_cents == 8 * 8000);
  CHECK(r.months[1].onboarded_users == 8);
  CHECK(total(r, [](const MonthRecord& m) { return m.mrr_expansion_cents; }) == 0);
}
