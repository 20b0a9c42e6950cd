// Referrals (engine/model/referrals.cpp): the branching-process docking case, the K-factor, cohort
// K and viral cycle time formulas, and the lever switch.
#include "fixtures.hpp"
#include "loader_test_support.hpp"

#include "model/flywheel.hpp"
#include "model/population.hpp"
#include "model/referrals.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace flywheel;

namespace {

double value(const MonthRecord& r, Metric m) {
  return derive_metrics(r, 1)[static_cast<int>(m)];
}

// Total progeny of a Galton-Watson process with geometric offspring of mean K, P(k) = (1 - t)
// t^k with t = K / (1 + K): P(n) = C(2n - 2, n - 1) t^(n-1) (1 - t)^n / n (Dwass 1969).
double geometric_progeny(double k, int n) {
  const double t = k / (1 + k);
  const double log_choose = std::lgamma(2.0 * n - 1) - 2 * std::lgamma(double(n));
  return std::exp(log_choose + (n - 1) * std::log(t) + n * std::log(1 - t)) / n;
}

}  // namespace

TEST_CASE("referral cascades follow the progeny law of a geometric(K) branching process",
          "[stochastic][referrals]") {
  // A regular invites at a constant rate for an exponential time: its offspring are geometric
  // (scenarios/validation/branching.yaml). Week steps approximate the exponential time to second
  // order: P(no offspring) is 0.665 against 0.667.
  const Scenario s = load_scenario(test::source_path("scenarios/validation/branching.yaml"));
  const RunResult run = run_scenario(s);
  std::vector<std::int64_t> pooled;
  for (const ReplicateResult& r : run.replicates) {
    if (r.cascade_histogram.size() > pooled.size()) pooled.resize(r.cascade_histogram.size(), 0);
    for (std::size_t n = 0; n < r.cascade_histogram.size(); ++n)
      pooled[n] += r.cascade_histogram[n];
  }
  double seeds = 0, signups = 0, squares = 0;
  for (std::size_t n = 0; n < pooled.size(); ++n) {
    seeds += pooled[n];
    signups += pooled[n] * double(n);
    squares += pooled[n] * double(n) * double(n);
  }
  REQUIRE(seeds > 5000);
  const double k = 0.5;
  const double mean = signups / seeds;
  const double se = std::sqrt((squares / seeds - mean * mean) / seeds);
  CHECK(std::abs(mean - 1.0 / (1.0 - k)) < 4.0 * se);
  for (int n = 1; n <= 5; ++n) {
    const double p = geometric_progeny(k, n);
    const double observed = n < int(pooled.size()) ? pooled[n] / seeds : 0.0;
    INFO("size " << n << ": observed " << observed << ", law " << p);
    CHECK(std::abs(observed - p) < 4.0 * std::sqrt(p * (1 - p) / seeds));
  }
  // Every seed's tree holds at least the seed.
  CHECK(pooled[0] == 0);
}

TEST_CASE("K-factor is referral signups over active users at month start", "[referrals]") {
  MonthRecord r;
  r.signups_by_channel[static_cast<int>(Channel::referral)] = 30;
  r.signups_by_channel[static_cast<int>(Channel::organic)] = 70;
  r.active_users_start = 200;
  r.active_users = 999;  // not the denominator
  CHECK(value(r, Metric::k_factor) == Approx(0.15));
  CHECK(derive_metrics(r, 20)[static_cast<int>(Metric::k_factor)] == Approx(0.15));
  r.active_users_start = 0;
  CHECK(std::isnan(value(r, Metric::k_factor)));
}

TEST_CASE("cohort K and viral cycle time from hand-made records", "[referrals]") {
  MonthRecord r;
  r.signups_by_channel[static_cast<int>(Channel::referral)] = 10;
  r.signups_by_channel[static_cast<int>(Channel::paid)] = 30;
  CHECK(std::isnan(value(r, Metric::cohort_k)));  // window not simulated in full
  CHECK(std::isnan(value(r, Metric::viral_cycle_days)));
  r.cohort_referral_signups = 8;  // caused by this month's 40 signups within 12 months
  r.referral_cycle_days = 21.5;
  CHECK(value(r, Metric::cohort_k) == Approx(0.2));
  CHECK(value(r, Metric::viral_cycle_days) == 21.5);
}

TEST_CASE("the referral ledger counts cycle steps and cohorts of accepted invites", "[referrals]") {
  // Month steps: step s is month s. Referrer 0 signed up at step 2, referrer 1 before step 0.
  Scenario s = load_scenario(test::source_path("scenarios/validation/branching.yaml"),
                             {{"simulation.step", "month"}, {"market.people", "2000"}});
  const model::Model m(s, 0);
  model::ReplicateState state = model::build_population(m);
  for (std::uint32_t p : {0u, 1u}) state.people.stage[p] = Stage::regular;
  for (std::uint32_t p : {7u, 8u, 9u}) state.people.stage[p] = Stage::unaware;
  state.people.signup_step[0] = 2;
  state.people.referral_root[0] = 0;
  state.people.signup_step[1] = -1;
  std::vector<model::PeopleTally> blocks(1);
  blocks[0].invites = {{0, 7}, {1, 8}};
  std::vector<std::uint32_t> arrived;
  auto arrive = [&](std::uint32_t p, model::PeopleTally&) { arrived.push_back(p); };
  model::apply_invites(m, state, 5, blocks, arrive);
  CHECK(arrived == std::vector<std::uint32_t>{7, 8});
  CHECK(state.referrals.cycle_steps == 3);  // 7 signed up 3 steps after its referrer
  CHECK(state.referrals.cycles == 1);       // 8's referrer signed up before step 0
  CHECK(state.referrals.cohort_referrals[2] == 1);
  CHECK(state.people.referral_root[7] == 0);
  CHECK(state.people.referral_root[8] == 1);  // an active user who never signed up: a seed
  // Twelve months after the referrer's signup month, a referral leaves its cohort's window.
  blocks[0].invites = {{0, 9}};
  model::apply_invites(m, state, 14, blocks, arrive);
  CHECK(state.referrals.cycle_steps == 3 + 12);
  CHECK(state.referrals.cohort_referrals[2] == 1);
}

TEST_CASE("referral cycle time and cohort counts from a run", "[referrals]") {
  Scenario s = load_scenario(test::source_path("scenarios/validation/branching.yaml"));
  s.simulation.replicates = 1;
  const ReplicateResult r = run_replicate(s, 0);
  std::int64_t referred = 0, in_cohorts = 0;
  for (std::size_t m = 0; m < r.months.size(); ++m) {
    referred += r.months[m].signups_by_channel[static_cast<int>(Channel::referral)];
    // A cycle is at least the step in which the referrer became a regular.
    if (r.months[m].referral_cycle_days) CHECK(*r.months[m].referral_cycle_days >= 0.0);
    // Cohorts whose 12-month window ended within the horizon have their count, no other.
    CHECK(r.months[m].cohort_referral_signups.has_value() == (m + 12 <= r.months.size()));
    in_cohorts += r.months[m].cohort_referral_signups.value_or(0);
  }
  CHECK(referred > 0);
  CHECK(in_cohorts > 0);
  CHECK(in_cohorts <= referred);
}

TEST_CASE("referrals switched off equal no referral block", "[referrals]") {
  Scenario base = test::small_plg(2);
  Scenario off = base;
  off.strategy.referrals.regular_invites_per_month = Schedule::constant(3.0);
  off.strategy.referrals.enabled = false;
  const RunResult a = run_scenario(base), b = run_scenario(off);
  for (std::size_t i = 0; i < a.replicates.size(); ++i) {
    CHECK(a.replicates[i].months == b.replicates[i].months);
  }
}

TEST_CASE("referrals keep the MRR identity and pay rewards per accepted referral", "[referrals]") {
  Scenario s = test::small_plg(2);
  s.strategy.referrals.enabled = true;
  s.strategy.referrals.regular_invites_per_month = Schedule::constant(2.0);
  s.strategy.referrals.champion_invites_per_month = Schedule::constant(4.0);
  s.strategy.referrals.acceptance = 0.3;
  s.strategy.referrals.reward_usd = 2.5;
  const RunResult run = run_scenario(s);
  std::int64_t referred = 0;
  for (const ReplicateResult& rep : run.replicates) {
    for (const MonthRecord& r : rep.months) {
      CHECK(r.mrr_end_cents == r.mrr_start_cents + r.mrr_new_cents + r.mrr_expansion_cents +
                                   r.mrr_reactivation_cents - r.mrr_contraction_cents -
                                   r.mrr_churned_cents);
      const std::int64_t n = r.signups_by_channel[static_cast<int>(Channel::referral)];
      CHECK(r.spend_referral_cents == n * 250 * s.simulation.agent_scale);
      referred += n;
    }
  }
  CHECK(referred > 0);
}

TEST_CASE("invites go to graph neighbours; an invitee accepted twice joins the first referrer",
          "[referrals]") {
  Scenario s = load_scenario(test::source_path("scenarios/validation/branching.yaml"));
  s.strategy.referrals.acceptance = 1.0;
  const model::Model m(s, 0);
  model::ReplicateState state = model::build_population(m);
  const auto n = static_cast<std::uint32_t>(state.people.size());
  // People 0 and 1 know only person 7; nobody else knows anyone.
  state.network.offsets.assign(n + 1, 2);
  state.network.offsets[0] = 0;
  state.network.offsets[1] = 1;
  state.network.targets = {7, 7};
  for (std::uint32_t p : {0u, 1u, 7u}) state.people.stage[p] = Stage::unaware;
  state.people.stage[0] = state.people.stage[1] = Stage::regular;
  state.people.referral_root[0] = 0;
  state.people.referral_root[1] = 1;
  const model::ReferralRates rates = model::referral_rates(m, 0);
  std::vector<model::PeopleTally> blocks(2);
  model::draw_invites(m, rates, state, 1, 20.0, 4, blocks[1].invites);  // 20 invites on average
  model::draw_invites(m, rates, state, 0, 20.0, 4, blocks[0].invites);
  REQUIRE(blocks[0].invites.size() > 5);
  REQUIRE(blocks[1].invites.size() > 5);
  for (const auto& b : blocks) {
    for (const model::Invite& inv : b.invites) CHECK(inv.invitee == 7);
  }
  std::vector<std::uint32_t> arrived;
  model::apply_invites(m, state, 4, blocks,
                       [&](std::uint32_t p, model::PeopleTally&) { arrived.push_back(p); });
  CHECK(arrived == std::vector<std::uint32_t>{7});  // each accepted invitee arrives once
  CHECK(state.people.stage[7] == Stage::evaluator);
  CHECK(state.people.channel[7] == Channel::referral);
  CHECK(state.people.signup_step[7] == 4);
  CHECK(state.people.referral_root[7] == 0);  // block 0 (referrer 0) is applied first
  const int referral = static_cast<int>(Channel::referral);
  CHECK(blocks[0].signups[referral] + blocks[1].signups[referral] == 1);
  CHECK(blocks[0].invites.empty());
  // A person with no neighbours sends nothing.
  std::vector<model::Invite> none;
  state.people.stage[5] = Stage::regular;
  model::draw_invites(m, rates, state, 5, 20.0, 4, none);
  CHECK(none.empty());
}

TEST_CASE("cascade histogram counts each seed's tree", "[referrals]") {
  model::People people;
  constexpr std::uint32_t kNo = model::kNoReferral;
  // Seeds 0 (tree 0, 2, 3), 1 (alone) and 4 (tree 4, 5); person 6 never signed up.
  people.referral_root = {0, 1, 0, 0, 4, 4, kNo};
  const std::vector<std::int64_t> h = model::cascade_histogram(people);
  CHECK(h == std::vector<std::int64_t>{0, 1, 1, 1});
}

TEST_CASE("strategy.referrals loads with schedules and rejects bad values", "[referrals][loader]") {
  using loader_test::first_diagnostic;
  using loader_test::kMinimal;
  const Scenario s = load_scenario_text(kMinimal +
                                            "strategy:\n"
                                            "  referrals:\n"
                                            "    regular_invites_per_month: [{from_month: 0, "
                                            "value: 1}, {from_month: 6, value: 2}]\n"
                                            "    two_sided: true\n",
                                        "ok.yaml");
  CHECK(s.strategy.referrals.enabled);
  CHECK(s.strategy.referrals.regular_invites_per_month.at(7) == 2.0);
  CHECK(s.strategy.referrals.acceptance_probability() == Approx(0.16));  // 0.1 x 1.6
  CHECK_FALSE(load_scenario_text(kMinimal, "off.yaml").strategy.referrals.enabled);
  CHECK(first_diagnostic(kMinimal + "strategy:\n  referrals:\n    acceptance: 1.5\n")
            .find("strategy.referrals.acceptance: 1.5") != std::string::npos);
  CHECK(first_diagnostic(kMinimal + "strategy:\n  referrals:\n    invites: 3\n")
            .find("strategy.referrals.invites") != std::string::npos);
}
