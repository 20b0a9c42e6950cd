// PLG levers: free tier and access, trial (with and without a card), plan tiers, onboarding.
#include "checks.hpp"
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using namespace flywheel;
using test::check_binomial;
using test::check_mrr_identity;
using test::total;

namespace {

// n one-person accounts, everyone a beginner at month 0 who never churns on their own: every
// account has exactly one active user while it has access.
Scenario single_seat_accounts(std::int64_t n, int months) {
  Scenario s;
  s.name = "single-seats";
  s.simulation = {months, StepSize::week, 1, 5, 1};
  s.market.people = n;
  s.market.segments = {{"solo", 1.0, {SizeDistribution::fixed, 1, 1, 1}, 10.0, 0.0, {}}};
  s.initial.stage_shares = {0, 0, 0, 1, 0, 0, 0};
  return s;
}

}  // namespace

TEST_CASE("without a free tier nobody can activate in an account that does not pay",
          "[plg][engine]") {
  Scenario s = test::small_plg(1, 3);
  s.strategy.plg = PlgSpec{};  // no PLG block: no free tier, no self-serve
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(total(r, [](const MonthRecord& m) { return m.signups_by_channel[0]; }) > 0);
  for (const MonthRecord& m : r.months) {
    CHECK(m.activations == 0);
    CHECK(m.active_users == 0);
    CHECK(m.accounts_paying == 0);
  }
}

TEST_CASE("active users of an account that loses access churn", "[plg][engine]") {
  // Everyone starts active but no account has access: all churn in the first step.
  Scenario s = single_seat_accounts(500, 2);
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].access_lost_users == 500);
  CHECK(r.months[0].users_by_stage[static_cast<int>(Stage::churned)] == 500);
  CHECK(r.months[0].active_users == 0);
}

TEST_CASE("a trial converts at expiry with its conversion probability", "[plg][stochastic]") {
  const std::int64_t n = 20000;
  for (const bool card : {false, true}) {
    Scenario s = single_seat_accounts(n, 3);
    s.strategy.plg.enabled = true;
    s.strategy.plg.free_tier = false;
    s.strategy.plg.trial = {true, 14.0, card, 0.15, 0.5, 0.5};
    const ReplicateResult r = run_replicate(s, 0);
    // Every account starts its trial at step 0 and ends it one or two weekly steps later.
    CHECK(r.months[0].trials_started == n);
    const std::int64_t converted =
        total(r, [](const MonthRecord& m) { return m.trials_converted; });
    const std::int64_t expired = total(r, [](const MonthRecord& m) { return m.trials_expired; });
    CHECK(converted + expired == n);
    const double p = card ? 0.5 : 0.15;
    const double se = std::sqrt(p * (1 - p) / n);
    INFO("card " << card << ": converted " << converted);
    CHECK(std::abs(static_cast<double>(converted) / n - p) <= 4 * se);
    // Without a free tier, accounts whose trial expired lose their user.
    CHECK(total(r, [](const MonthRecord& m) { return m.access_lost_users; }) == expired);
    CHECK(r.months.back().accounts_paying == converted);
    check_mrr_identity(r);
  }
}

TEST_CASE("a trial lasts its days on average at any step", "[plg][stochastic]") {
  // A 30-day trial started at step 0 (its signup at the step's middle) is decided D / dt - 1/2
  // = 3.44 week steps later on average: at step 3 (month 0) for 56% of accounts, else at step
  // 4 (month 1).
  const std::int64_t n = 20000;
  Scenario s = single_seat_accounts(n, 2);
  s.strategy.plg.enabled = true;
  s.strategy.plg.free_tier = false;
  s.strategy.plg.trial = {true, 30.0, false, 0.15, 0.5, 0.5};
  const ReplicateResult r = run_replicate(s, 0);
  const double steps = 30.0 / (30.4375 / 4) - 0.5;
  const std::int64_t in_month_0 = r.months[0].trials_converted + r.months[0].trials_expired;
  CHECK(in_month_0 + r.months[1].trials_converted + r.months[1].trials_expired == n);
  check_binomial(in_month_0, n, 4.0 - steps);
}

TEST_CASE("an expired trial reverts to the free tier and keeps its users", "[plg][engine]") {
  Scenario s = single_seat_accounts(2000, 3);
  s.strategy.plg.enabled = true;
  s.strategy.plg.trial = {true, 14.0, false, 0.15, 0.5, 0.5};
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(total(r, [](const MonthRecord& m) { return m.access_lost_users; }) == 0);
  CHECK(r.months.back().active_users == 2000);
  CHECK(r.months.back().accounts_paying + r.months.back().accounts_free_active == 2000);
}

TEST_CASE("a card at signup multiplies the signups of people without access", "[plg][stochastic]") {
  // Aware people, no account has access: signups per month at rate 0.2, or 0.2 x 0.4 with a
  // card. Accounts of 1 person, so the first signup starts the trial of its own account only.
  auto first_month_signups = [](bool card) {
    Scenario s = single_seat_accounts(20000, 1);
    s.simulation.step = StepSize::month;
    s.initial.stage_shares = {0, 1, 0, 0, 0, 0, 0};
    s.funnel.signup_per_month = 0.2;
    s.strategy.plg.enabled = true;
    s.strategy.plg.free_tier = false;
    s.strategy.plg.trial = {true, 14.0, card, 0.15, 0.5, 0.4};
    return static_cast<double>(run_replicate(s, 0).months[0].signups_by_channel[3]) / 20000;
  };
  const double open = first_month_signups(false), carded = first_month_signups(true);
  CHECK(std::abs(open - 0.2) <= 4 * std::sqrt(0.2 * 0.8 / 20000));
  // One monthly step: hazard -ln(0.8) x 0.4, so P = 1 - 0.8^0.4.
  const double p = 1 - std::pow(0.8, 0.4);
  CHECK(std::abs(carded - p) <= 4 * std::sqrt(p * (1 - p) / 20000));
}

TEST_CASE("plan tiers: upgrades are expansion, downgrades contraction, at tier prices",
          "[plg][stochastic]") {
  const std::int64_t n = 20000;
  Scenario s = single_seat_accounts(n, 1);
  s.simulation.step = StepSize::month;
  s.simulation.months = 2;
  s.strategy.plg.enabled = true;
  s.strategy.plg.pql_min_active_users = 1;
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(1.0);
  s.strategy.plg.tiers = {{"team", 1.0}, {"business", 2.5}};
  s.strategy.plg.upgrade_per_month = Schedule::constant(0.3);
  const ReplicateResult r = run_replicate(s, 0);
  // Month 0: every account converts on the first tier ($10). Month 1: 30% move up to $25.
  CHECK(r.months[0].accounts_new == n);
  CHECK(r.months[0].mrr_end_cents == n * 1000);
  const MonthRecord& m = r.months[1];
  CHECK(m.mrr_expansion_cents == m.tier_upgrades * 1500);
  CHECK(m.tier_downgrades == 0);
  CHECK(std::abs(static_cast<double>(m.tier_upgrades) / n - 0.3) <= 4 * std::sqrt(0.21 / n));
  check_mrr_identity(r);

  s.strategy.plg.upgrade_per_month = Schedule::constant(0.0);
  s.strategy.plg.downgrade_per_month = Schedule::constant(0.5);
  const ReplicateResult down = run_replicate(s, 0);
  CHECK(total(down, [](const MonthRecord& x) { return x.tier_downgrades; }) == 0);  // at the floor
}

TEST_CASE("onboarding quality shortens time to value from its month on, not before",
          "[plg][stochastic]") {
  Scenario s = test::small_plg(12, 4);
  Scenario better = s;
  better.strategy.plg.onboarding_activation_multiplier = Schedule{{{0, 1.0}, {6, 2.0}}};
  const RunResult base = run_scenario(s), faster = run_scenario(better);
  for (std::size_t r = 0; r < base.replicates.size(); ++r) {
    for (int m = 0; m < 6; ++m) {
      CHECK(base.replicates[r].months[m] == faster.replicates[r].months[m]);
    }
  }
  // After month 6 activation is twice as likely per evaluator: more activations per signup.
  auto activation_share = [](const MonthRecord& m) {
    return static_cast<double>(m.activations) /
           static_cast<double>(std::max<std::int64_t>(1, m.activations + m.evaluator_dropouts));
  };
  const test::MeanSe a = test::across_replicates(base, 9, activation_share);
  const test::MeanSe b = test::across_replicates(faster, 9, activation_share);
  CHECK(b.mean - a.mean > 4 * std::hypot(a.se, b.se));
}

TEST_CASE("a PLG block switched off is the same run as no block", "[plg][engine]") {
  Scenario off = test::small_plg(2, 8);
  off.strategy.plg.enabled = false;
  off.strategy.plg.trial.enabled = true;  // inside a switched-off block: no effect
  Scenario absent = test::small_plg(2, 8);
  absent.strategy.plg = PlgSpec{};
  CHECK(run_scenario(off).replicates[1].months == run_scenario(absent).replicates[1].months);
}

TEST_CASE("the loader turns a left-out or disabled lever block off", "[plg][loader]") {
  const std::string base = R"(name: x
market:
  people: 100
  segments: [{name: a, share: 1}]
)";
  CHECK_FALSE(load_scenario_text(base, "x.yaml").strategy.plg.enabled);
  CHECK(load_scenario_text(base + "strategy: {plg: {}}\n", "x.yaml").strategy.plg.enabled);
  CHECK_FALSE(load_scenario_text(base + "strategy: {plg: {enabled: false}}\n", "x.yaml")
                  .strategy.plg.enabled);
  CHECK_FALSE(
      load_scenario_text(base + "strategy: {marketing: {}}\n", "x.yaml").strategy.plg.enabled);
}

namespace {

// n accounts of two people, both beginners at month 0 who never reactivate, on a free tier:
// every account converts at step 0 with 2 seats (monthly steps). Beginners churn with
// `churn` per month, so at month 1 an account has 2, 1 or 0 active users.
Scenario two_seat_accounts(std::int64_t n, double churn, double removal) {
  Scenario s;
  s.name = "two-seats";
  s.simulation = {2, StepSize::month, 1, 9, 1};
  s.market.people = 2 * n;
  s.market.segments = {{"pairs", 1.0, {SizeDistribution::fixed, 2, 2, 2}, 10.0, 0.0, {}}};
  s.initial.stage_shares = {0, 0, 0, 1, 0, 0, 0};
  s.funnel.churn_per_month[static_cast<int>(Stage::beginner)] = churn;
  s.strategy.plg.enabled = true;
  s.strategy.plg.pql_min_active_users = 1;
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(1.0);
  s.strategy.plg.seat_removal_per_month = Schedule::constant(removal);
  return s;
}

}  // namespace

TEST_CASE("seats: unused seats stay billed until removed, with the removal probability",
          "[plg][seats][stochastic]") {
  const std::int64_t n = 20000;
  const double c = 0.4, removal = 0.3;
  // Rule: never removed, a team pays for its seats at month 0 even with no user left.
  const ReplicateResult kept = run_replicate(two_seat_accounts(n, c, 0.0), 0);
  CHECK(kept.months[1].mrr_contraction_cents == 0);
  CHECK(kept.months[1].mrr_churned_cents == 0);
  CHECK(kept.months[1].mrr_end_cents == kept.months[0].mrr_end_cents);
  check_mrr_identity(kept);
  // At once (the default): seats follow active users.
  const ReplicateResult at_once = run_replicate(two_seat_accounts(n, c, 1.0), 0);
  CHECK(at_once.months[1].mrr_end_cents == at_once.months[1].active_users * 1000);
  // Stochastic. A step is two halves, the users of its start in the first and of its end in the
  // second (a churn falls at the step's middle); a seat decision of a half acts over half a
  // step, r = 1 - (1 - 0.3)^(1/2). Every account converts in the first half of step 0 with 2
  // seats; at its end each user is still active with probability 1 - c, and an account left
  // with fewer users removes a seat (to 1, the minimum) with probability r. In step 1 a
  // 2-seat account contracts by one seat: with both users at step 0's end, when one of them
  // churns (2 c (1 - c)) and the second half removes the seat (r); with one user at step 0's
  // end, when the first half removes the seat, or else the second half does while the user
  // stays (a team left without users cancels instead); with none, never (it cancels or waits).
  const double h = -std::expm1(0.5 * std::log1p(-removal));
  const double both = (1 - c) * (1 - c), one = 2 * c * (1 - c);
  const double contracts = both * one * h + one * (1 - h) * (h + (1 - h) * (1 - c) * h);
  const ReplicateResult r = run_replicate(two_seat_accounts(n, c, removal), 0);
  check_binomial(static_cast<double>(r.months[1].mrr_contraction_cents) / 1000,
                 static_cast<double>(n), contracts);
  check_mrr_identity(r);
}

TEST_CASE("seats: active users beyond the seats are billed only once the seats are bought",
          "[plg][seats][stochastic]") {
  const std::int64_t n = 20000;
  // Two-person accounts, each person a beginner or aware at month 0: an account with a beginner
  // converts at step 0 with its active users as seats. An aware person signs up with
  // probability 0.5 in a monthly step and then activates at once, so an account with 1 seat
  // after step 0 has its second active user during step 1 with probability 0.5.
  Scenario s = two_seat_accounts(n, 0.0, 1.0);
  s.initial.stage_shares = {0, 0.5, 0, 0.5, 0, 0, 0};  // aware or beginner, drawn per person
  s.funnel.signup_per_month = 0.5;
  s.funnel.activation_per_month = 1.0;
  s.strategy.plg.seat_add_per_month = Schedule::constant(0.0);
  const ReplicateResult never = run_replicate(s, 0);
  CHECK(total(never, [](const MonthRecord& m) { return m.mrr_expansion_cents; }) == 0);
  CHECK(never.months[1].mrr_end_cents ==
        never.months[0].mrr_end_cents + never.months[1].mrr_new_cents);
  s.strategy.plg.seat_add_per_month = Schedule::constant(0.25);
  const ReplicateResult r = run_replicate(s, 0);
  // A step is two halves (a move falls at the step's middle); a seat add of a half acts over
  // half a step, a = 1 - (1 - 0.25)^(1/2), and an aware person signs up (and activates at once)
  // in a step with probability 0.5. In step 1 an account expands by one seat when it has 1
  // seat: a beginner and an aware person (1/2) who did not sign up in step 0 (1/2), signs up in
  // step 1 (1/2) and the second half buys the seat (a); a beginner whose partner signed up in
  // step 0 (1/2 x 1/2) but whose seat step 0's second half did not buy (1 - a): either half of
  // step 1 buys it (1 - (1 - a)^2); two aware people (1/4) one of whom signed up in step 0
  // (1/2: the account converted in its second half with 1 seat), whose other signs up in step 1
  // (1/2) and the second half buys (a).
  const double a = -std::expm1(0.5 * std::log1p(-0.25));
  const double expands = 0.125 * a + 0.25 * (1 - a) * (1 - (1 - a) * (1 - a)) + 0.125 * 0.5 * a;
  check_binomial(static_cast<double>(r.months[1].mrr_expansion_cents) / 1000,
                 static_cast<double>(n), expands);
  check_mrr_identity(r);
}
