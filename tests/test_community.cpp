// The community (engine/model/community.cpp): joining with gravity, leaving and the engagement
// ladder, the member churn multiplier, and the invariants with CLG on (off switch, schedules,
// MRR identity, determinism).
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include "model/community.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include "checks.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

using namespace flywheel;
using test::check_binomial;

namespace {

double hazard(double p_per_month) {
  return -std::log1p(-p_per_month);
}

}  // namespace

TEST_CASE("gravity grows with active members, with diminishing returns", "[community]") {
  ClgSpec clg;
  clg.gravity = 2.0;
  clg.gravity_scale_members = 1000;
  CHECK(model::gravity_multiplier(clg, 0) == 1.0);
  CHECK(model::gravity_multiplier(clg, 1000) == Approx(1 + 2 * std::log(2.0)));
  const double first = model::gravity_multiplier(clg, 1000) - model::gravity_multiplier(clg, 0);
  const double second = model::gravity_multiplier(clg, 2000) - model::gravity_multiplier(clg, 1000);
  CHECK(second > 0);
  CHECK(second < first);  // concave
  clg.gravity = 0;
  CHECK(model::gravity_multiplier(clg, 1e6) == 1.0);
}

TEST_CASE("the join hazard is the base rate x gravity of the active members",
          "[community][stochastic]") {
  // Half the regulars start as participating members; the others join in step 0 with
  // probability 1 - 0.9^G, G = 1 + g ln(1 + members / 5000), read from the start state.
  for (double g : {0.0, 2.0}) {
    Scenario s = test::clg_base(20000, 1);
    s.strategy.clg.initial_members_share = 0.5;
    s.strategy.clg.join_per_month = Schedule::constant(0.1);
    s.strategy.clg.gravity = g;
    s.strategy.clg.gravity_scale_members = 5000;
    const MonthRecord m = run_replicate(s, 0).months[0];
    const double members = static_cast<double>(m.members_by_level[2]);
    const double gravity = 1 + g * std::log1p(members / 5000);
    CHECK(m.community_joins == m.members_by_level[1]);
    check_binomial(static_cast<double>(m.community_joins), 20000 - members,
                   -std::expm1(-hazard(0.1) * gravity));
  }
}

TEST_CASE("members compete between leaving and moving up a level", "[community][stochastic]") {
  // Participating members with leave 0.2 and promotion 0.2 a month: each leaves the level with
  // probability 1 - 0.8^2 = 0.36 in a monthly step, half of them by leaving, half by
  // promotion. A promotion falls at the step's middle: the contributor then leaves with
  // probability 1 - 0.8^(1/2) over the half step left.
  Scenario s = test::clg_base(20000, 1);
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.leave_per_month = Schedule::constant(0.2);
  s.strategy.clg.promote_participating_per_month = 0.2;
  const MonthRecord m = run_replicate(s, 0).months[0];
  const double stays = std::sqrt(0.8);
  check_binomial(static_cast<double>(m.community_leaves), 20000, 0.18 + 0.18 * (1 - stays));
  check_binomial(static_cast<double>(m.members_by_level[3]), 20000, 0.18 * stays);
  CHECK(m.community_leaves + m.members_by_level[2] + m.members_by_level[3] == 20000);
}

TEST_CASE("members who churn leave the community; the flag follows the level", "[community]") {
  Scenario s = test::clg_base(5000, 4);
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.demote_per_month = 0.3;  // participating -> exploring: no longer active
  s.funnel.churn_per_month[static_cast<int>(Stage::regular)] = 0.2;
  const ReplicateResult r = run_replicate(s, 0);
  std::int64_t members = 5000;
  for (const MonthRecord& m : r.months) {
    const auto& level = m.members_by_level;
    members += m.community_joins - m.community_leaves;
    CHECK(level[1] + level[2] + level[3] + level[4] == members);  // members are conserved
    CHECK(m.member_users == m.active_users);  // everyone active is still a member
    CHECK(m.active_member_users == level[2]);
  }
  CHECK(r.months.back().members_by_level[1] > 0);
}

TEST_CASE("member churn multiplier 1/1.5 makes members' mean lifetime 1.5x",
          "[community][stochastic]") {
  // Everyone an active user and a participating member who never leaves, no reactivation:
  // the only exit is churn at 10%/month (a constant hazard lambda), so the mean lifetime is
  // 1 / lambda, and 1.5 / lambda with the multiplier. Lifetime = person-months / people, the
  // months' exposure by the trapezoid rule (bias ~lambda^2 / 12 < 0.1%), plus survivors' mean
  // remaining life.
  auto lifetimes = [](double multiplier) {
    Scenario s = test::clg_base(20000, 120, 6, 17);
    s.strategy.clg.initial_members_share = 1.0;
    s.strategy.clg.member_churn_multiplier = Schedule::constant(multiplier);
    s.initial.stage_shares = {0, 0, 0, 1, 0, 0, 0};  // beginners, who churn 10%/month
    s.funnel.churn_per_month[static_cast<int>(Stage::beginner)] = 0.1;
    const RunResult run = run_scenario(s);
    std::vector<double> out;
    for (const ReplicateResult& r : run.replicates) {
      double person_months = 0;
      for (const MonthRecord& m : r.months) {
        person_months += 0.5 * static_cast<double>(m.active_users_start + m.active_users);
      }
      person_months +=
          static_cast<double>(r.months.back().active_users) / (hazard(0.1) * multiplier);
      out.push_back(person_months / 20000.0);
    }
    return out;
  };
  auto mean_se = [](const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    return test::MeanSe{mean, std::sqrt(ss / (n - 1) / n)};
  };
  const test::MeanSe base = mean_se(lifetimes(1.0));
  const test::MeanSe members = mean_se(lifetimes(1.0 / 1.5));
  // Docking with the closed form: 1 / lambda = 9.49 months.
  CHECK(std::abs(base.mean - 1 / hazard(0.1)) < 4 * base.se + 0.01);
  const double ratio = members.mean / base.mean;
  const double ratio_se = ratio * std::hypot(members.se / members.mean, base.se / base.mean);
  INFO("lifetime ratio " << ratio << " +- " << ratio_se);
  CHECK(std::abs(ratio - 1.5) < 4 * ratio_se);
  CHECK(ratio_se < 0.03);  // precise enough that 1.0 or 1.25 would fail
}

TEST_CASE("strategy.clg off gives byte-identical results to no community block",
          "[community][determinism]") {
  const Scenario plain = test::small_plg(2, 4);
  Scenario off = test::small_clg(2, 4);
  off.strategy.clg.enabled = false;
  const RunResult a = run_scenario(plain);
  const RunResult b = run_scenario(off);
  for (std::size_t r = 0; r < a.replicates.size(); ++r) {
    CHECK(a.replicates[r].months == b.replicates[r].months);
  }
  // And through the loader: `clg: {enabled: false, ...}` and the block left out.
  const test::TempDir dir("clg_off");
  const std::string base = test::source_path("scenarios/plg-freemium.yaml");
  const std::string child =
      dir.write("off.yaml", "extends: " + base +
                                "\nstrategy:\n  clg:\n    enabled: false\n    join_per_month: 0.5\n"
                                "    support: {enabled: true}\n");
  const std::vector<Override> small = {{"simulation.months", "6"},
                                       {"simulation.replicates", "2"},
                                       {"market.people", "40000"},
                                       {"targets", "[]"}};
  const Scenario yaml_plain = load_scenario(base, small);
  const Scenario yaml_off = load_scenario(child, small);
  CHECK_FALSE(yaml_off.strategy.clg.enabled);
  const RunResult c = run_scenario(yaml_plain);
  const RunResult d = run_scenario(yaml_off);
  for (std::size_t r = 0; r < c.replicates.size(); ++r) {
    CHECK(c.replicates[r].months == d.replicates[r].months);
  }
}

TEST_CASE("a schedule change at month N changes nothing before month N",
          "[community][determinism]") {
  Scenario before = test::small_clg(2, 8);
  Scenario after = before;
  after.strategy.clg.join_per_month = Schedule{{{0, 0.1}, {6, 0.4}}};
  after.strategy.clg.team_size = Schedule{{{0, 1.0}, {6, 5.0}}};
  const RunResult a = run_scenario(before);
  const RunResult b = run_scenario(after);
  for (std::size_t r = 0; r < a.replicates.size(); ++r) {
    for (int m = 0; m < 6; ++m) CHECK(a.replicates[r].months[m] == b.replicates[r].months[m]);
    CHECK(b.replicates[r].months[6].community_joins > a.replicates[r].months[6].community_joins);
    CHECK(b.replicates[r].months[6].spend_community_cents >
          a.replicates[r].months[6].spend_community_cents);
  }
}

TEST_CASE("with CLG on: people conserved, MRR identity exact, members of every level",
          "[community][engine]") {
  const RunResult run = run_scenario(test::small_clg(4, 5));
  std::array<std::int64_t, kEngagementLevels> seen{};
  std::int64_t answers = 0, pieces = 0, community_signups = 0;
  for (const ReplicateResult& r : run.replicates) {
    for (const MonthRecord& m : r.months) {
      CHECK(std::accumulate(m.users_by_stage.begin(), m.users_by_stage.end(), std::int64_t{0}) ==
            r.months[0].users_by_stage[0] + std::accumulate(r.months[0].users_by_stage.begin() + 1,
                                                            r.months[0].users_by_stage.end(),
                                                            std::int64_t{0}));
      CHECK(m.mrr_end_cents == m.mrr_start_cents + m.mrr_new_cents + m.mrr_expansion_cents +
                                   m.mrr_reactivation_cents - m.mrr_contraction_cents -
                                   m.mrr_churned_cents);
      for (int l = 1; l < kEngagementLevels; ++l) seen[l] += m.members_by_level[l];
      answers += m.support_answers;
      pieces += m.content_pieces_contributed;
      community_signups += m.signups_by_channel[static_cast<int>(Channel::community)];
      CHECK(m.product_quality >= 0.0);
      CHECK(m.product_quality <= 1.0);
    }
  }
  for (int l = 1; l < kEngagementLevels; ++l) CHECK(seen[l] > 0);
  CHECK(answers > 0);
  CHECK(pieces > 0);
  CHECK(community_signups > 0);
}

TEST_CASE("with CLG on, results do not depend on the thread count", "[community][determinism]") {
  Scenario s = test::small_clg(3, 21);
  s.market.people = 70000;  // several people blocks per replicate
  const RunResult one = run_scenario(s, {1, nullptr});
  const RunResult three = run_scenario(s, {3, nullptr});
  for (std::size_t r = 0; r < one.replicates.size(); ++r) {
    CHECK(three.replicates[r].months == one.replicates[r].months);
  }
}
