// Gravity that retains, and members' motives as behaviours (engine/model/community.cpp): the
// motive drawn at joining, its packing in the community byte, the effects of each motive on the
// rules, and stochastic checks of the leave rule, the motive shares and two effects at 4 SE.
#include "fixtures.hpp"

#include "model/community.hpp"
#include "model/community_programs.hpp"
#include "model/flywheel.hpp"
#include "model/midpoint.hpp"

#include <flywheel/model/engine.hpp>

#include "checks.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;
using test::check_binomial;

namespace {

double hazard(double p_per_month) {
  return -std::log1p(-p_per_month);
}

std::int64_t members(const MonthRecord& m) {
  const auto& l = m.members_by_level;
  return l[1] + l[2] + l[3] + l[4];
}

}  // namespace

TEST_CASE("gravity retention divides the leave hazard, with diminishing returns", "[community]") {
  ClgSpec clg;
  clg.gravity_scale_members = 1000;
  CHECK(model::gravity_retention_divisor(clg, 5000) == 1.0);  // default 0: today's rule
  clg.gravity_retention = 2.0;
  CHECK(model::gravity_retention_divisor(clg, 0) == 1.0);
  CHECK(model::gravity_retention_divisor(clg, 1000) == Approx(1 + 2 * std::log(2.0)));
  const double first = model::gravity_retention_divisor(clg, 1000) - 1.0;
  const double second =
      model::gravity_retention_divisor(clg, 2000) - model::gravity_retention_divisor(clg, 1000);
  CHECK(second > 0);
  CHECK(second < first);
  // In the step's rules: every level's leave hazard / divisor, the join side untouched.
  Scenario s = test::clg_base(1000, 1);
  s.strategy.clg.leave_per_month = Schedule::constant(0.2);
  s.strategy.clg.gravity_retention = 2.0;
  s.strategy.clg.gravity_scale_members = 1000;
  const model::Model m(s, 0);
  model::ReplicateState state;
  state.drivers.mid.active_members = 1000;
  const model::CommunityRules rules = model::community_rules(m, state, 0);
  for (int level = 1; level < kEngagementLevels; ++level) {
    CHECK(rules.level[0][level].per_month == Approx(hazard(0.2) / (1 + 2 * std::log(2.0))));
  }
}

TEST_CASE("the community byte packs level and motive; 0 is exactly a non-member",
          "[community]") {
  namespace mb = model::member_byte;
  for (int level = 1; level < kEngagementLevels; ++level) {
    for (Motive m : {Motive::product, Motive::practice, Motive::play}) {
      const std::uint8_t b = mb::pack(level, m);
      CHECK(b != 0);
      CHECK(mb::level(b) == level);
      CHECK(mb::motive(b) == m);
    }
  }
  CHECK(mb::pack(0, Motive::play) == 0);
  CHECK(mb::level(0) == 0);
}

TEST_CASE("motive cut points: users by the three weights, non-users by practice and play",
          "[community]") {
  Scenario s = test::clg_base(1000, 1);
  s.strategy.clg.motives = {2.0, 1.0, 1.0};
  const model::Model m(s, 0);
  const model::ReplicateState state;
  const model::CommunityRules r = model::community_rules(m, state, 0);
  const std::uint32_t half = 1u << 31, three_q = 3u << 30;
  CHECK(model::joining_motive(r, false, half - 1) == Motive::product);
  CHECK(model::joining_motive(r, false, half) == Motive::practice);
  CHECK(model::joining_motive(r, false, three_q) == Motive::play);
  CHECK(model::joining_motive(r, true, 0) == Motive::practice);
  CHECK(model::joining_motive(r, true, half) == Motive::play);
  s.strategy.clg.motives = {1.0, 0.0, 0.0};  // nobody is drawn in but by content: product
  const model::Model product_only(s, 0);
  const model::CommunityRules p = model::community_rules(product_only, state, 0);
  CHECK(model::joining_motive(p, true, 0) == Motive::product);
  CHECK(model::joining_motive(p, false, 0xFFFFFFFFu) == Motive::product);
}

TEST_CASE("each motive's effects change its own rules only", "[community]") {
  Scenario s = test::clg_base(1000, 1);
  ClgSpec& clg = s.strategy.clg;
  clg.leave_per_month = Schedule::constant(0.1);
  clg.promote_exploring_per_month = 0.2;
  clg.promote_participating_per_month = 0.05;
  clg.demote_per_month = 0.05;
  clg.content.enabled = true;
  clg.content.pieces_per_contributor_per_month = 0.2;
  clg.motive_effects.practice.promotion_multiplier = 2.0;
  clg.motive_effects.practice.contribution_multiplier = 3.0;
  clg.motive_effects.play.engagement_multiplier = 1.5;
  const model::Model m(s, 0);
  const model::ReplicateState state;
  const model::CommunityRules r = model::community_rules(m, state, 0);
  const int product = int(Motive::product), practice = int(Motive::practice),
            play = int(Motive::play);
  const double leave = hazard(0.1), down = hazard(0.05);
  // practice: participating -> contributing x 2; play: exploring -> participating x 1.5
  CHECK(r.level[product][1].per_month == Approx(leave + hazard(0.2)));
  CHECK(r.level[play][1].per_month == Approx(leave + 1.5 * hazard(0.2)));
  CHECK(r.level[practice][1].per_month == Approx(leave + hazard(0.2)));
  CHECK(r.level[product][2].per_month == Approx(leave + hazard(0.05) + down));
  CHECK(r.level[practice][2].per_month == Approx(leave + 2 * hazard(0.05) + down));
  CHECK(r.level[play][2].per_month == Approx(leave + hazard(0.05) + down));
  // practice contributors publish 3x as often
  CHECK(r.piece[product] == probability_threshold(0.2));
  CHECK(r.piece[play] == probability_threshold(0.2));
  CHECK(r.piece[practice] == probability_threshold(0.6));
  // content reach and support count contributors weighted the same way
  model::CommunityState c;
  c.contributors_by_motive = {10, 5, 1};
  CHECK(model::weighted_contributors(clg, c) == Approx(10 + 15 + 1));
}

TEST_CASE("product members activate and churn at their multipliers (their own rule class)",
          "[community]") {
  Scenario s = test::clg_base(1000, 1);
  s.funnel.activation_per_month = 0.3;
  s.funnel.churn_per_month = {0, 0, 0.1, 0.1, 0.1, 0.1, 0};
  const model::Model m(s, 0);
  model::RuleModifiers mods;
  mods.product_activation = 2.0;
  mods.product_churn = 0.5;
  const model::TransitionTable t = model::transition_table(m, model::AwarenessRates{}, mods);
  const auto& base = t.rules[0];
  const auto& product = t.rules[model::kRuleProduct];
  CHECK(base[int(Stage::evaluator)].per_month == Approx(hazard(0.3) + hazard(0.1)));
  CHECK(product[int(Stage::evaluator)].per_month == Approx(2 * hazard(0.3) + 0.5 * hazard(0.1)));
  CHECK(product[int(Stage::champion)].per_month == Approx(0.5 * hazard(0.1)));
  CHECK(model::person_rule_bits(0, model::member_byte::pack(1, Motive::product),
                                Stage::regular) == model::kRuleProduct);
  CHECK(model::person_rule_bits(0, model::member_byte::pack(1, Motive::play), Stage::regular) ==
        0);
  CHECK(model::person_rule_bits(0, 0, Stage::regular) == 0);
}

TEST_CASE("play members weigh more as word-of-mouth sources", "[community]") {
  ClgSpec clg;
  clg.enabled = true;
  model::CommunityState c;
  c.play_sources = 100;
  c.play_champion_members = 10;
  CHECK(model::play_extra_sources(clg, c) == 0.0);  // default 1: nothing changes
  clg.motive_effects.play.word_of_mouth_multiplier = 1.5;
  CHECK(model::play_extra_sources(clg, c) == Approx(50));
  clg.champions.enabled = true;
  clg.champions.referral_multiplier = 2.0;  // champion members weigh 2: their extra is 0.5 x 2
  CHECK(model::play_extra_sources(clg, c) == Approx(0.5 * (100 + 10)));
  CHECK(model::play_conversion_multiplier(clg) == 1.0);
  clg.motive_effects.play.conversion_multiplier = 0.5;
  CHECK(model::play_conversion_multiplier(clg) == 0.5);
}

TEST_CASE("leavers in a step match the gravity-retained leave rule at two community sizes",
          "[community][stochastic]") {
  // Participating members who never move but leave at 0.2/month, with gravity_retention 1.5 and
  // scale 2000: in the first (month) step each leaves with 1 - exp(-h(0.2) / D), D = 1 + 1.5
  // ln(1 + M / 2000), M the members at the start (the middle of step 0 is its start).
  for (double share : {0.25, 1.0}) {
    Scenario s = test::clg_base(20000, 1, 1, 23);
    s.strategy.clg.initial_members_share = share;
    s.strategy.clg.leave_per_month = Schedule::constant(0.2);
    s.strategy.clg.gravity_retention = 1.5;
    s.strategy.clg.gravity_scale_members = 2000;
    s.funnel.churn_per_month = {0, 0, 0, 0, 0, 0, 0};
    const MonthRecord m = run_replicate(s, 0).months[0];
    const double start = static_cast<double>(m.community_leaves + members(m));
    const double divisor = 1 + 1.5 * std::log1p(start / 2000);
    INFO("members at start " << start << ", divisor " << divisor);
    check_binomial(static_cast<double>(m.community_leaves), start,
                   -std::expm1(-hazard(0.2) / divisor));
  }
}

TEST_CASE("motive shares of new members match the weights; counts sum to members",
          "[community][stochastic]") {
  // Users: regulars who join at 0.5/month, weights 2 : 1 : 1.
  Scenario s = test::clg_base(20000, 3, 1, 29);
  s.strategy.clg.join_per_month = Schedule::constant(0.5);
  s.strategy.clg.motives = {2.0, 1.0, 1.0};
  s.funnel.churn_per_month = {0, 0, 0, 0, 0, 0, 0};
  const ReplicateResult r = run_replicate(s, 0);
  const MonthRecord& first = r.months[0];
  const auto& by = first.members_by_motive;
  const double joined = static_cast<double>(first.community_joins);
  check_binomial(static_cast<double>(by[0]), joined, 0.5);
  check_binomial(static_cast<double>(by[1]), joined, 0.25);
  check_binomial(static_cast<double>(by[2]), joined, 0.25);
  for (const MonthRecord& m : r.months) {
    CHECK(m.members_by_motive[0] + m.members_by_motive[1] + m.members_by_motive[2] == members(m));
  }
  // Non-users drawn in by the community: practice and play only, 1 : 3.
  Scenario n = test::clg_base(20000, 2, 1, 31);
  n.initial.stage_shares = {1, 0, 0, 0, 0, 0, 0};
  n.strategy.clg.nonuser_draw_per_month = Schedule::constant(0.3);
  n.strategy.clg.motives = {5.0, 1.0, 3.0};
  const ReplicateResult d = run_replicate(n, 0);
  std::int64_t joins = 0;
  for (const MonthRecord& m : d.months) {
    joins += m.community_joins;
    CHECK(m.members_by_motive[0] == 0);
    CHECK(m.members_by_motive[0] + m.members_by_motive[1] + m.members_by_motive[2] == members(m));
  }
  const MonthRecord& last = d.months.back();
  REQUIRE(joins == members(last));  // nobody leaves
  check_binomial(static_cast<double>(last.members_by_motive[1]), static_cast<double>(joins), 0.25);
}

TEST_CASE("practice members are promoted to contributing at the multiplied hazard",
          "[community][stochastic]") {
  // Every regular a participating practice member (weights 0 : 1 : 0); promotion 0.2/month x 2,
  // nothing else moves: contributors after one month step ~ Binomial(20000, 1 - 0.8^2).
  Scenario s = test::clg_base(20000, 1, 1, 37);
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.motives = {0.0, 1.0, 0.0};
  s.strategy.clg.promote_participating_per_month = 0.2;
  s.strategy.clg.motive_effects.practice.promotion_multiplier = 2.0;
  s.funnel.churn_per_month = {0, 0, 0, 0, 0, 0, 0};
  const MonthRecord m = run_replicate(s, 0).months[0];
  CHECK(m.members_by_motive[1] == 20000);
  check_binomial(static_cast<double>(m.members_by_level[3]), 20000, 1 - 0.8 * 0.8);
}

TEST_CASE("product members churn at the multiplied hazard", "[community][stochastic]") {
  // Champions (churn the only exit, no reactivation), all product members: churn 0.1/month x 0.5.
  Scenario s = test::clg_base(20000, 1, 1, 41);
  s.initial.stage_shares = {0, 0, 0, 0, 0, 1, 0};
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.motive_effects.product.churn_multiplier = 0.5;
  s.funnel.churn_per_month = {0, 0, 0, 0, 0, 0.1, 0};
  s.funnel.reactivation_per_month = 0.0;
  const MonthRecord m = run_replicate(s, 0).months[0];
  check_binomial(static_cast<double>(20000 - m.active_users), 20000,
                 -std::expm1(-0.5 * hazard(0.1)));
}

TEST_CASE("accounts with a play member convert at the multiplied hazard",
          "[community][stochastic]") {
  // One-person accounts of regulars, all play members, on a free tier converting at 0.2/month
  // x 0.5: paying after one month step ~ Binomial(20000, 1 - exp(-0.5 h(0.2))).
  Scenario s = test::clg_base(20000, 1, 1, 43);
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.motives = {0.0, 0.0, 1.0};
  s.strategy.clg.motive_effects.play.conversion_multiplier = 0.5;
  s.strategy.plg.free_conversion_per_month = Schedule::constant(0.2);
  s.strategy.plg.pql_conversion_per_month = Schedule::constant(0.2);
  s.funnel.churn_per_month = {0, 0, 0, 0, 0, 0, 0};
  const MonthRecord m = run_replicate(s, 0).months[0];
  check_binomial(static_cast<double>(m.accounts_paying), 20000, -std::expm1(-0.5 * hazard(0.2)));
}
