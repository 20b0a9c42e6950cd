// The community's programs (engine/model/community_programs.cpp): support capacity, content reach,
// events, the champion program, trust, the non-user draw of motives, and community spend.
// Each rule has a unit check and a [stochastic] check of direction and size (4 standard
// errors) in a still population where the rule's expectation is exact.
#include "fixtures.hpp"

#include "model/community_programs.hpp"

#include <flywheel/model/engine.hpp>

#include "checks.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace flywheel;
using test::check_binomial;

namespace {

constexpr int kUnaware = static_cast<int>(Stage::unaware);
constexpr int kEvaluator = static_cast<int>(Stage::evaluator);
constexpr int kCommunity = static_cast<int>(Channel::community);

}  // namespace

TEST_CASE("support capacity is shared among the askers", "[community_programs]") {
  CHECK(model::answer_probability(10, 0.25, 10) == Approx(0.25));  // 2.5 answers a step
  CHECK(model::answer_probability(10, 0.25, 1) == 1.0);
  CHECK(model::answer_probability(0, 0.25, 10) == 0.0);
  CHECK(model::answer_probability(10, 0.25, 0) == 1.0);
  ClgSpec clg;
  clg.support.answers_per_contributor_per_month = 4;
  clg.support.answers_per_team_member_per_month = 100;
  clg.team_size = Schedule::constant(2);
  model::CommunityState c;
  c.members_by_level = {0, 50, 40, 7, 3};  // 10 contributors
  c.contributors_by_motive = {6, 4, 0};
  CHECK(model::support_capacity_per_month(clg, c, 0, 1) == Approx(240));
  CHECK(model::support_capacity_per_month(clg, c, 0, 10) == Approx(60));  // team is real
  // Practice contributors answer contribution_multiplier times as much: 6 + 4 x 2.5 = 16.
  clg.motive_effects.practice.contribution_multiplier = 2.5;
  CHECK(model::support_capacity_per_month(clg, c, 0, 1) == Approx(16 * 4 + 200));
}

TEST_CASE("answered beginners activate at the support multiplier",
          "[community_programs][stochastic]") {
  // Evaluators (and those who activate in step 0) all join in step 0 and start asking; the
  // capacity, unlimited, answers them in the same step; from step 1 the answered activate at
  // twice the hazard, and in step 1 at 1 + 1.5 (2 - 1) = 2.5 times (making up the half of step
  // 0 the answer missed): probability 1 - 0.7^2.5 instead of 0.3.
  for (bool on : {false, true}) {
    Scenario s = test::clg_base(20000, 3);
    s.initial.stage_shares = {0, 0, 1, 0, 0, 0, 0};
    s.funnel.activation_per_month = 0.3;
    s.strategy.clg.join_per_month = Schedule::constant(1.0);
    s.strategy.clg.team_size = Schedule::constant(1.0);
    s.strategy.clg.support = {on, Schedule::constant(0.0), 0.0, 1e9, 2.0, 0.5};
    const ReplicateResult r = run_replicate(s, 0);
    CHECK(r.months[0].support_answers == (on ? 20000 : 0));  // evaluators and beginners
    const double evaluators = static_cast<double>(r.months[0].users_by_stage[kEvaluator]);
    check_binomial(static_cast<double>(r.months[1].activations), evaluators,
                   on ? 1 - std::pow(0.7, 2.5) : 0.3);
  }
}

TEST_CASE("support answers no more than its capacity", "[community_programs][stochastic]") {
  // 20000 evaluators who all join and start asking in step 0, a team answering 2000 a month:
  // ~2000 answers each month, the new askers of step 0 sharing its whole capacity.
  Scenario s = test::clg_base(20000, 5);
  s.initial.stage_shares = {0, 0, 1, 0, 0, 0, 0};
  s.strategy.clg.join_per_month = Schedule::constant(1.0);
  s.strategy.clg.team_size = Schedule::constant(1.0);
  s.strategy.clg.support = {true, Schedule::constant(0.0), 0.0, 2000.0, 2.0, 0.5};
  const ReplicateResult r = run_replicate(s, 0);
  for (int m = 0; m < 5; ++m) {
    INFO("month " << m);
    CHECK(std::abs(static_cast<double>(r.months[m].support_answers) - 2000) < 4 * 45);
  }
}

TEST_CASE("contributors publish pieces that make the unaware aware",
          "[community_programs][stochastic]") {
  // Half regulars (members promoted to contributors in step 0), half unaware. Each contributor
  // publishes with probability 0.2 a month, and the contributors' pieces reach 1 person each at
  // once: awareness hazard C x 0.2 / U, with C and U predicted at the step's middle. People
  // aware through the community join it.
  Scenario s = test::clg_base(20000, 3);
  s.initial.stage_shares = {0.5, 0, 0, 0, 0.5, 0, 0};
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.promote_participating_per_month = 1.0;
  s.strategy.clg.content = {true, Schedule::constant(0.0), 0.2, 1.0};
  const ReplicateResult r = run_replicate(s, 0);
  const double contributors = static_cast<double>(r.months[0].members_by_level[3]);
  CHECK(contributors > 9000);
  CHECK(r.months[0].content_pieces_contributed == 0);  // participating at the start of step 0
  CHECK(r.months[0].awareness_by_channel[kCommunity] == 0);  // no contributor at its start
  check_binomial(static_cast<double>(r.months[1].content_pieces_contributed), contributors, 0.2);
  // Step 1: contributors went from 0 to C in step 0, extrapolated linearly to 1.5 C at the
  // middle of step 1; the unaware have not changed.
  const double unaware = static_cast<double>(r.months[0].users_by_stage[kUnaware]);
  check_binomial(static_cast<double>(r.months[1].awareness_by_channel[kCommunity]), unaware,
                 -std::expm1(-1.5 * contributors * 0.2 / unaware));
  // Step 2: contributors constant, the unaware log-linear from the last two month ends.
  const double u1 = static_cast<double>(r.months[1].users_by_stage[kUnaware]);
  const double c1 = static_cast<double>(r.months[1].members_by_level[3]);
  const double u_mid = u1 * std::clamp(std::sqrt(u1 / unaware), 0.5, 2.0);
  const double c_mid = c1 * std::clamp(std::sqrt(c1 / contributors), 0.5, 2.0);
  check_binomial(static_cast<double>(r.months[2].awareness_by_channel[kCommunity]), u1,
                 -std::expm1(-c_mid * 0.2 / u_mid));
  CHECK(r.months[2].community_joins == r.months[2].awareness_by_channel[kCommunity]);
}

TEST_CASE("practice and play motives draw non-users, product does not",
          "[community_programs][stochastic]") {
  for (double practice : {0.0, 1.0}) {
    Scenario s = test::clg_base(20000, 1);
    s.initial.stage_shares = {1, 0, 0, 0, 0, 0, 0};
    s.strategy.clg.motives = {1.0, practice, 0.0};
    s.strategy.clg.nonuser_draw_per_month = Schedule::constant(0.1);
    const MonthRecord m = run_replicate(s, 0).months[0];
    // rate 0.1 x practice / (product + practice): 0 or 0.05 per month.
    check_binomial(static_cast<double>(m.awareness_by_channel[kCommunity]), 20000,
                   -std::expm1(-0.1 * practice / (1 + practice)));
    CHECK(m.community_joins == m.awareness_by_channel[kCommunity]);
  }
}

TEST_CASE("events lift joins by a saturating function of the budget", "[community_programs]") {
  ClgSpec clg;
  clg.events = {true, Schedule{{{0, 5000.0}, {3, 0.0}}}, 0.6, 5000.0};
  CHECK(model::event_join_multiplier(clg, 0) == Approx(1.3));
  CHECK(model::event_join_multiplier(clg, 3) == 1.0);
  clg.events.budget_usd_per_month = Schedule::constant(1e12);
  CHECK(model::event_join_multiplier(clg, 0) == Approx(1.6));
  clg.events.enabled = false;
  CHECK(model::event_join_multiplier(clg, 0) == 1.0);
}

TEST_CASE("events multiply the join hazard", "[community_programs][stochastic]") {
  Scenario s = test::clg_base(20000, 1);
  s.strategy.clg.join_per_month = Schedule::constant(0.1);
  s.strategy.clg.events = {true, Schedule::constant(4000.0), 1.0, 4000.0};  // x 1.5
  const MonthRecord m = run_replicate(s, 0).months[0];
  check_binomial(static_cast<double>(m.community_joins), 20000,
                 -std::expm1(1.5 * std::log1p(-0.1)));
}

TEST_CASE("member champions weigh more in word of mouth", "[community_programs][stochastic]") {
  // Half champions who are active members, half unaware; q = 0.2 from champions. The rate is
  // q x (champions + (r - 1) x member champions) / people = 0.1 x r a month.
  for (double referral : {1.0, 3.0}) {
    Scenario s = test::clg_base(20000, 1);
    s.initial.stage_shares = {0.5, 0, 0, 0, 0, 0.5, 0};
    s.acquisition.imitation_q_per_month = 0.2;
    s.strategy.clg.initial_members_share = 1.0;
    s.strategy.clg.champions = {referral > 1, Schedule::constant(0.0), 1.0, referral};
    const ReplicateResult r = run_replicate(s, 0);
    const MonthRecord& m = r.months[0];
    const double unaware = 20000 - static_cast<double>(m.users_by_stage[5]);
    const double champions = static_cast<double>(m.users_by_stage[5]);
    const double rate = 0.2 * champions * referral / 20000;
    check_binomial(static_cast<double>(m.awareness_by_channel[1]), unaware, -std::expm1(-rate));
  }
  model::CommunityState c;
  c.champion_members = 10;
  ClgSpec clg;
  clg.enabled = true;
  clg.champions = {true, Schedule::constant(0.0), 1.0, 2.5};
  CHECK(model::champion_extra_sources(clg, c) == Approx(15));
  clg.champions.enabled = false;
  CHECK(model::champion_extra_sources(clg, c) == 0.0);
}

TEST_CASE("member advocacy: the champion program multiplies regular -> champion",
          "[community_programs][stochastic]") {
  Scenario s = test::clg_base(20000, 1);
  s.strategy.clg.initial_members_share = 1.0;
  s.funnel.advocacy_per_month = 0.1;
  s.strategy.clg.champions = {true, Schedule::constant(0.0), 2.0, 1.0};
  const MonthRecord m = run_replicate(s, 0).months[0];
  check_binomial(static_cast<double>(m.advocacies), 20000, 1 - 0.9 * 0.9);
}

TEST_CASE("trust: accounts with a community user convert at the multiplied rate",
          "[community_programs][stochastic]") {
  // One-person accounts of regulars; free conversion 10% a month; trust x 2 on the hazard.
  for (double members : {0.0, 1.0}) {
    Scenario s = test::clg_base(20000, 1);
    s.strategy.plg.pql_min_active_users = 2;  // nobody is a PQL: the free rate applies
    s.strategy.plg.free_conversion_per_month = Schedule::constant(0.1);
    s.strategy.clg.initial_members_share = members;
    s.strategy.clg.trust = {true, Schedule::constant(0.0), 2.0};
    const MonthRecord m = run_replicate(s, 0).months[0];
    check_binomial(static_cast<double>(m.accounts_new), 20000, members > 0 ? 0.19 : 0.1);
  }
}

TEST_CASE("community spend is the team plus the enabled programs' budgets",
          "[community_programs]") {
  ClgSpec clg;
  clg.enabled = true;
  clg.team_size = Schedule{{{0, 2.0}, {6, 3.0}}};
  clg.team_cost_usd_per_month = 10000.5;
  clg.support = {true, Schedule::constant(100.0)};
  clg.content = {false, Schedule::constant(1e6)};  // off: not spent
  clg.events = {true, Schedule{{{0, 0.0}, {6, 2500.25}}}};
  CHECK(model::community_spend_cents(clg, 0) == 2000100 + 10000);
  CHECK(model::community_spend_cents(clg, 6) == 3000150 + 10000 + 250025);
  clg.enabled = false;
  CHECK(model::community_spend_cents(clg, 6) == 0);
  // Through the engine: the month's spend record.
  Scenario s = test::small_clg(1, 3);
  const ReplicateResult r = run_replicate(s, 0);
  const std::int64_t budgets = 300 + 400 + 2000 + 100;  // USD: support, content, events, champions
  CHECK(r.months[0].spend_community_cents == (1 * 10000 + budgets) * 100);
  CHECK(r.months[9].spend_community_cents == (2 * 10000 + budgets) * 100);
}
