// Member and non-member retention as an output (docs/model.md#member-and-non-member-retention):
// the exposure accounting of the people phase, the measured hazards against the rule at every
// step, and determinism.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <vector>

using namespace flywheel;

namespace {

double hazard(double p_per_month) {
  return -std::log1p(-p_per_month);
}

double metric(const MonthRecord& r, int agent_scale, Metric m) {
  return derive_metrics(r, agent_scale)[static_cast<int>(m)];
}

// A still community (fixtures.hpp): n regulars in one-person accounts on a free tier, a share of
// them active members who never leave the community, regulars churning at `churn` a month (no
// advocacy, no reactivation), members with the churn multiplier m. The stage mix is fixed, so
// each group's hazard is constant: lambda for non-members, m lambda for members.
Scenario still_members(StepSize step, int months, int replicates, double member_share, double m,
                       double churn, std::uint32_t seed = 23) {
  Scenario s = test::clg_base(20000, months, replicates, seed);
  s.simulation.step = step;
  s.initial.stage_shares = {0, 0, 0, 0, 1, 0, 0};  // regulars
  s.funnel.churn_per_month[static_cast<int>(Stage::regular)] = churn;
  s.funnel.advocacy_per_month = 0.0;
  s.funnel.reactivation_per_month = 0.0;
  s.strategy.clg.initial_members_share = member_share;
  s.strategy.clg.member_churn_multiplier = Schedule::constant(m);
  return s;
}

struct Pooled {
  double member_churns = 0, member_months = 0, other_churns = 0, other_months = 0;
};

// Churn events and exposure of each group, pooled over the months and replicates of a run.
Pooled pool(const RunResult& run) {
  Pooled p;
  const int k = run.scenario.simulation.agent_scale;
  for (const ReplicateResult& r : run.replicates) {
    for (const MonthRecord& m : r.months) {
      p.member_churns += static_cast<double>(m.member_churns);
      p.other_churns += metric(m, k, Metric::user_churns_nonmembers) / k;
      p.member_months += metric(m, k, Metric::user_months_members) / k;
      p.other_months += metric(m, k, Metric::user_months_nonmembers) / k;
    }
  }
  return p;
}

}  // namespace

TEST_CASE("retention exposure: the active users at each step's start and end, by member status",
          "[community][retention]") {
  // Month steps, nobody moves but by churn, nobody joins or leaves the community: a month's
  // exposure in half steps is exactly the active users (members) at its start plus at its end.
  const Scenario s = still_members(StepSize::month, 6, 1, 0.4, 0.5, 0.2);
  const RunResult run = run_scenario(s);
  const std::vector<MonthRecord>& months = run.replicates[0].months;
  std::int64_t churns = 0;
  for (const MonthRecord& m : months) {
    CHECK(m.user_halfsteps == m.active_users_start + m.active_users);
    CHECK(m.member_user_halfsteps == m.active_member_users_start + m.active_member_users);
    const std::int64_t user_churns = m.churn_by_stage[static_cast<int>(Stage::regular)];
    CHECK(m.active_users == m.active_users_start - user_churns);
    CHECK(m.active_member_users == m.active_member_users_start - m.member_churns);
    // The metrics: person-months (the trapezoid), hazards and their ratio.
    const double member_months = 0.5 * double(m.member_user_halfsteps);
    const double other_months = 0.5 * double(m.user_halfsteps - m.member_user_halfsteps);
    CHECK(metric(m, 1, Metric::user_months_members) == Approx(member_months));
    CHECK(metric(m, 1, Metric::user_months_nonmembers) == Approx(other_months));
    CHECK(metric(m, 1, Metric::user_churns_nonmembers) == double(user_churns - m.member_churns));
    const double hm = double(m.member_churns) / member_months;
    const double ho = double(user_churns - m.member_churns) / other_months;
    CHECK(metric(m, 1, Metric::user_churn_members) == Approx(hm));
    CHECK(metric(m, 1, Metric::user_churn_nonmembers) == Approx(ho));
    CHECK(metric(m, 1, Metric::member_churn_hazard_ratio) == Approx(hm / ho));
    churns += user_churns;
  }
  CHECK(churns > 1000);
  // Tenure pools the trailing 12 months (here all 6): exposure / churns.
  const MonthRecord& last = months.back();
  constexpr int kRegular = 1;  // by active stage: beginner, regular, champion
  CHECK(last.user_churns_t12m[kRegular] == churns);
  CHECK(last.user_churns_t12m[0] + last.user_churns_t12m[2] == 0);
  const double tm = 0.5 * double(last.member_user_halfsteps_t12m[kRegular]) /
                    double(last.member_churns_t12m[kRegular]);
  const double to =
      0.5 * double(last.user_halfsteps_t12m[kRegular] - last.member_user_halfsteps_t12m[kRegular]) /
      double(last.user_churns_t12m[kRegular] - last.member_churns_t12m[kRegular]);
  CHECK(metric(last, 1, Metric::tenure_members_months) == Approx(tm));
  CHECK(metric(last, 1, Metric::tenure_nonmembers_months) == Approx(to));
  CHECK(metric(last, 1, Metric::retention_lift) == Approx(tm / to - 1));
  // One stage: the stage-mix adjustment changes nothing.
  CHECK(metric(last, 1, Metric::retention_lift_stage_adjusted) == Approx(tm / to - 1));
}

TEST_CASE("stage-mix adjusted retention lift: selection by stage removed, the multiplier kept",
          "[community][retention][stochastic]") {
  // Regulars (churn 5%) become champions (churn 1%) at 10% a month, members 5 times as fast
  // (the champion program's advocacy multiplier): members end up champions more often, so they
  // churn less as a group even when membership changes no hazard (m = 1). At each stage's own
  // hazards the comparison removes that selection: the adjusted lift is 1 / m - 1. Week steps:
  // members leave the regular stage at ~55% a month, where a month step's trapezoid would
  // overstate their exposure by ~(0.55)^2 / 12 = 2.5% (measured: +0.03 on the lift).
  for (const double m : {1.0, 0.6}) {
    Scenario s = still_members(StepSize::week, 12, 4, 0.5, m, 0.05, 59);
    s.funnel.advocacy_per_month = 0.1;
    s.funnel.churn_per_month[static_cast<int>(Stage::champion)] = 0.01;
    s.strategy.clg.champions = {true, Schedule::constant(0.0), 5.0, 1.0};
    const RunResult run = run_scenario(s);
    // Pooled over the replicates' 12 months: by stage, members' exposure and churns, the other
    // users' hazards and their Poisson variances.
    std::array<double, 3> member_halfsteps{}, other_halfsteps{}, other_churns{};
    double member_churns = 0, raw_lift = 0;
    for (const ReplicateResult& r : run.replicates) {
      const MonthRecord& last = r.months.back();
      for (std::size_t st = 0; st < 3; ++st) {
        member_halfsteps[st] += double(last.member_user_halfsteps_t12m[st]);
        other_halfsteps[st] +=
            double(last.user_halfsteps_t12m[st] - last.member_user_halfsteps_t12m[st]);
        other_churns[st] += double(last.user_churns_t12m[st] - last.member_churns_t12m[st]);
        member_churns += double(last.member_churns_t12m[st]);
      }
      raw_lift += metric(last, 1, Metric::retention_lift) / double(run.replicates.size());
    }
    double expected = 0, expected_var = 0;
    for (std::size_t st = 0; st < 3; ++st) {
      if (member_halfsteps[st] == 0) continue;
      expected += member_halfsteps[st] * other_churns[st] / other_halfsteps[st];
      expected_var += std::pow(member_halfsteps[st] / other_halfsteps[st], 2) * other_churns[st];
    }
    const double lift = expected / member_churns - 1;
    const double se = (expected / member_churns) *
                      std::sqrt(1 / member_churns + expected_var / (expected * expected));
    INFO("m " << m << ": raw lift " << raw_lift << ", adjusted " << lift << " +- " << se);
    CHECK(raw_lift > 1 / m - 1 + 0.15);  // the selection the adjustment must remove
    CHECK(std::abs(lift - (1 / m - 1)) < 4 * se);
    CHECK(se < 0.08);
    // The reported metric is this estimate, replicate by replicate.
    const MonthRecord& last = run.replicates[0].months.back();
    double e0 = 0, c0 = 0;
    for (std::size_t st = 0; st < 3; ++st) {
      const double mh = double(last.member_user_halfsteps_t12m[st]);
      if (mh == 0) continue;
      e0 += mh * double(last.user_churns_t12m[st] - last.member_churns_t12m[st]) /
            double(last.user_halfsteps_t12m[st] - last.member_user_halfsteps_t12m[st]);
      c0 += double(last.member_churns_t12m[st]);
    }
    CHECK(metric(last, 1, Metric::retention_lift_stage_adjusted) == Approx(e0 / c0 - 1));
  }
}

TEST_CASE("retention metrics without a community: everyone a non-member, members undefined",
          "[community][retention]") {
  const RunResult run = run_scenario(test::small_plg(1, 3));
  const MonthRecord& m = run.replicates[0].months.back();
  const int k = run.scenario.simulation.agent_scale;
  CHECK(m.member_user_halfsteps == 0);
  CHECK(m.user_halfsteps > 0);
  CHECK(std::isnan(metric(m, k, Metric::user_churn_members)));
  CHECK(std::isnan(metric(m, k, Metric::tenure_members_months)));
  CHECK(metric(m, k, Metric::user_churn_nonmembers) > 0);
  CHECK(metric(m, k, Metric::tenure_nonmembers_months) > 0);
}

TEST_CASE("measured member / non-member hazard ratio equals the churn multiplier",
          "[community][retention][stochastic]") {
  // Fixed hazards: lambda = -ln(1 - 5%) for non-members, m lambda for members. The measured
  // hazard is churns / exposure, the exponential maximum-likelihood estimate; its relative
  // standard error is 1 / sqrt(churns) (Poisson), and the trapezoid's bias, (lambda dt)^2 / 12,
  // is below 0.03%.
  const double m = 0.6, lambda = hazard(0.05);
  const RunResult run = run_scenario(still_members(StepSize::month, 24, 4, 0.5, m, 0.05));
  const Pooled p = pool(run);
  const double hm = p.member_churns / p.member_months, ho = p.other_churns / p.other_months;
  const double ratio = hm / ho;
  const double ratio_se = ratio * std::sqrt(1 / p.member_churns + 1 / p.other_churns);
  INFO("members " << hm << ", non-members " << ho << ", ratio " << ratio << " +- " << ratio_se);
  CHECK(std::abs(ho - lambda) < 4 * ho / std::sqrt(p.other_churns));
  CHECK(std::abs(hm - m * lambda) < 4 * hm / std::sqrt(p.member_churns));
  CHECK(std::abs(ratio - m) < 4 * ratio_se);
  CHECK(ratio_se < 0.02);  // precise enough that no effect (1) or half of it would fail
  // The reported retention lift, at month 24 over months 13-24: 1 / m - 1 = 2/3.
  std::vector<double> lifts;
  for (const ReplicateResult& r : run.replicates) {
    lifts.push_back(metric(r.months.back(), 1, Metric::retention_lift));
  }
  const test::MeanSe lift = test::mean_se(lifts);
  INFO("retention lift " << lift.mean << " +- " << lift.se);
  CHECK(std::abs(lift.mean - (1 / m - 1)) < 4 * lift.se + 0.01);
}

TEST_CASE("the measured hazards do not depend on the step: day, week and month",
          "[community][retention][stochastic]") {
  // The same constant hazards measured on each time grid: each estimate within 4 standard
  // errors of the rule (exposure counted as the trapezoid over each step, whatever its length).
  const double m = 0.5, lambda = hazard(0.2);  // a high hazard: a month step's bias would show
  for (const StepSize step : {StepSize::day, StepSize::week, StepSize::month}) {
    const Pooled p = pool(run_scenario(still_members(step, 6, 2, 0.5, m, 0.2, 41)));
    const double hm = p.member_churns / p.member_months, ho = p.other_churns / p.other_months;
    INFO("step " << static_cast<int>(step) << ": members " << hm << " (" << m * lambda
                 << "), non-members " << ho << " (" << lambda << ")");
    CHECK(std::abs(ho - lambda) < 4 * ho / std::sqrt(p.other_churns));
    CHECK(std::abs(hm - m * lambda) < 4 * hm / std::sqrt(p.member_churns));
  }
}

TEST_CASE("retention outputs do not depend on the thread count", "[community][determinism]") {
  Scenario s = test::small_clg(2, 31);
  s.market.people = 70000;  // several people blocks per replicate
  const RunResult one = run_scenario(s, {1, nullptr});
  const RunResult two = run_scenario(s, {2, nullptr});
  std::int64_t members = 0;
  for (std::size_t r = 0; r < one.replicates.size(); ++r) {
    CHECK(two.replicates[r].months == one.replicates[r].months);
    for (const MonthRecord& m : one.replicates[r].months) members += m.member_user_halfsteps;
  }
  CHECK(members > 0);
}
