// Engine invariants: conservation of people, the MRR identity in cents, determinism across
// thread counts, sensitivity to the seed, and exact behaviour of single mechanisms.
#include "checks.hpp"
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>

#include <catch2/catch.hpp>

#include <numeric>

using namespace flywheel;

namespace {

std::int64_t sum(const std::array<std::int64_t, kStageCount>& a) {
  return std::accumulate(a.begin(), a.end(), std::int64_t{0});
}

}  // namespace

TEST_CASE("people are conserved: stage counts sum to the population every month", "[engine]") {
  const Scenario s = test::small_plg();
  const RunResult run = run_scenario(s);
  REQUIRE(run.replicates.size() == 6);
  for (const ReplicateResult& r : run.replicates) {
    REQUIRE(r.months.size() == 18);
    for (const MonthRecord& m : r.months) CHECK(sum(m.users_by_stage) == 6000);
  }
}

TEST_CASE("MRR identity holds exactly in cents for every month and replicate", "[engine]") {
  const RunResult run = run_scenario(test::small_plg(8, 5));
  std::int64_t movements = 0;
  for (const ReplicateResult& r : run.replicates) {
    test::check_mrr_identity(r);
    for (const MonthRecord& m : r.months) {
      movements += m.mrr_expansion_cents + m.mrr_contraction_cents + m.mrr_churned_cents +
                   m.mrr_reactivation_cents;
    }
  }
  // The scenario exercises every movement, so the identity is not trivially 0 = 0.
  CHECK(movements > 0);
}

TEST_CASE("every movement and channel occurs in the small scenario", "[engine]") {
  const RunResult run = run_scenario(test::small_plg(4, 2));
  MonthRecord total;
  for (const ReplicateResult& r : run.replicates) {
    for (const MonthRecord& m : r.months) {
      total.mrr_new_cents += m.mrr_new_cents;
      total.mrr_expansion_cents += m.mrr_expansion_cents;
      total.mrr_contraction_cents += m.mrr_contraction_cents;
      total.mrr_churned_cents += m.mrr_churned_cents;
      total.mrr_reactivation_cents += m.mrr_reactivation_cents;
      total.evaluator_dropouts += m.evaluator_dropouts;
      total.reactivations += m.reactivations;
      total.new_pqls += m.new_pqls;
      for (int c = 0; c < 3; ++c) total.awareness_by_channel[c] += m.awareness_by_channel[c];
    }
  }
  CHECK(total.mrr_new_cents > 0);
  CHECK(total.mrr_expansion_cents > 0);
  CHECK(total.mrr_contraction_cents > 0);
  CHECK(total.mrr_churned_cents > 0);
  CHECK(total.mrr_reactivation_cents > 0);
  CHECK(total.evaluator_dropouts > 0);
  CHECK(total.reactivations > 0);
  CHECK(total.new_pqls > 0);
  for (int c = 0; c < 3; ++c) CHECK(total.awareness_by_channel[c] > 0);
}

TEST_CASE("results do not depend on the thread count", "[engine][determinism]") {
  Scenario s = test::small_plg(5, 21);
  s.market.people = 70000;  // several people blocks per replicate, so blocks run in parallel
  const RunResult one = run_scenario(s, {1, nullptr});
  for (int threads : {2, 3, 8}) {
    const RunResult many = run_scenario(s, {threads, nullptr});
    REQUIRE(many.replicates.size() == one.replicates.size());
    for (std::size_t r = 0; r < one.replicates.size(); ++r) {
      CHECK(many.replicates[r].months == one.replicates[r].months);
    }
  }
}

TEST_CASE("a different seed or replicate gives different results", "[engine][determinism]") {
  const ReplicateResult a = run_replicate(test::small_plg(1, 1), 0);
  const ReplicateResult b = run_replicate(test::small_plg(1, 2), 0);
  const ReplicateResult c = run_replicate(test::small_plg(1, 1), 1);
  const ReplicateResult a_again = run_replicate(test::small_plg(1, 1), 0);
  CHECK(a.months == a_again.months);
  CHECK_FALSE(a.months == b.months);
  CHECK_FALSE(a.months == c.months);
}

TEST_CASE("evaluators who cannot activate all drop out when the window ends", "[engine]") {
  Scenario s = test::small_plg(1, 3);
  s.simulation.step = StepSize::day;
  s.simulation.months = 3;
  s.funnel = FunnelSpec{};
  s.funnel.activation_window_days = 10;
  s.initial.stage_shares = {0, 0, 1, 0, 0, 0, 0};  // everyone starts as an evaluator
  s.acquisition = AcquisitionSpec{};
  s.strategy = StrategySpec{};
  const ReplicateResult r = run_replicate(s, 0);
  // Day steps: 10 whole days of window, then all 6000 drop out in month 1.
  CHECK(r.months[0].evaluator_dropouts == 6000);
  CHECK(r.months[0].users_by_stage[static_cast<int>(Stage::churned)] == 6000);
  CHECK(r.months[1].evaluator_dropouts == 0);
}

TEST_CASE("seats follow active users and cancel when none remain", "[engine]") {
  // One account of 10 people, all beginners, converting at once; then everybody churns.
  Scenario s;
  s.name = "seats";
  s.simulation = {6, StepSize::month, 1, 4, 1};
  s.market.people = 10;
  s.market.segments = {{"one", 1.0, {SizeDistribution::fixed, 10, 1, 10}, 7.5, 0.0, {}}};
  s.initial.stage_shares = {0, 0, 0, 1, 0, 0, 0};
  s.funnel.churn_per_month[static_cast<int>(Stage::beginner)] = 0.5;
  s.strategy.plg.enabled = true;
  s.strategy.plg.pql_min_active_users = 1;
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(1.0);
  const ReplicateResult r = run_replicate(s, 0);
  const MonthRecord& first = r.months[0];
  // Converted in step 0 with its active users as seats, at 750 cents a seat.
  CHECK(first.accounts_new == 1);
  CHECK(first.mrr_new_cents == first.active_users * 750 + first.mrr_contraction_cents);
  for (const MonthRecord& m : r.months) {
    if (m.accounts_paying == 1) CHECK(m.mrr_end_cents == m.active_users * 750);
    if (m.active_users == 0) CHECK(m.accounts_paying == 0);
  }
}

TEST_CASE("paid_churn_multiplier scales the churn hazard of users in paying accounts",
          "[engine][stochastic]") {
  // Everyone a regular in a team of 5 that pays from the first step; regulars churn 20% a
  // month. Step 0 runs before any account pays (plans are read from the previous step), so
  // after 6 monthly steps the expected survivor share is 0.8 x 0.8^(5 m) for multiplier m.
  Scenario s;
  s.name = "paid-churn";
  s.simulation = {6, StepSize::month, 8, 9, 1};
  s.market.people = 20000;
  s.market.segments = {{"teams", 1.0, {SizeDistribution::fixed, 5, 1, 5}, 10.0, 0.0, {}}};
  s.initial.stage_shares = {0, 0, 0, 0, 1, 0, 0};
  s.funnel.churn_per_month[static_cast<int>(Stage::regular)] = 0.2;
  s.strategy.plg.enabled = true;
  s.strategy.plg.pql_min_active_users = 1;
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(1.0);
  for (double multiplier : {1.0, 0.5, 0.0}) {
    s.funnel.paid_churn_multiplier = multiplier;
    const RunResult run = run_scenario(s);
    const test::MeanSe survivors = test::across_replicates(run, 5, [](const MonthRecord& m) {
      return m.users_by_stage[static_cast<int>(Stage::regular)] / 20000.0;
    });
    const double expected = 0.8 * std::pow(0.8, 5 * multiplier);
    INFO("multiplier " << multiplier << ": survivors " << survivors.mean << " +- " << survivors.se
                       << ", expected " << expected);
    CHECK(std::abs(survivors.mean - expected) <= 4 * survivors.se + 1e-9);
  }
}
