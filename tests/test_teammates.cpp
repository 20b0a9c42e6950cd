// Colleagues reached through the account (funnel.teammate_invites_per_month, engine/model/
// teammates.hpp): the rule at a certain rate, and the step's expected signups against the exact
// binomial mixture at 4 SE.
#include "fixtures.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace flywheel;

namespace {

constexpr int kTeammate = static_cast<int>(Channel::team);

// Teams of `team` people; each person starts a beginner with probability `active_share`, else
// unaware. Nothing else moves anyone: no Bass, no signups, no activation, no churn.
Scenario teams(int team, double active_share, double invites, bool free_tier, int replicates = 1) {
  const std::string yaml = fmt::format(R"(name: teammates
simulation: {{months: 2, step: month, replicates: {}, seed: 9}}
market:
  people: 60000
  segments:
    - {{name: all, share: 1.0, account_size: {{distribution: fixed, mean_people: {}}}}}
acquisition: {{innovation_p_per_month: 0, imitation_q_per_month: 0}}
funnel:
  signup_per_month: 0
  activation_per_month: 0
  adoption_per_month: 0
  churn_per_month: {{evaluator: 0, beginner: 0, regular: 0, champion: 0}}
  teammate_invites_per_month: {}
initial: {{stage_shares: {{unaware: {}, beginner: {}}}}}
strategy: {{plg: {{free_tier: {}}}}}
)",
                                       replicates, team, invites, 1.0 - active_share, active_share,
                                       free_tier ? "true" : "false");
  return load_scenario_text(yaml, "teammates.yaml");
}

}  // namespace

TEST_CASE(
    "teammates: at a certain rate every colleague of an account with an active user signs "
    "up, and nobody else",
    "[teammates]") {
  const int team = 5;
  const ReplicateResult r = run_replicate(teams(team, 0.2, 100.0, true), 0);
  const MonthRecord& m = r.months[0];
  const std::int64_t unaware = m.users_by_stage[static_cast<int>(Stage::unaware)];
  const std::int64_t evaluators = m.users_by_stage[static_cast<int>(Stage::evaluator)];
  const std::int64_t beginners = m.users_by_stage[static_cast<int>(Stage::beginner)];
  CHECK(m.signups_by_channel[kTeammate] == evaluators);
  CHECK(evaluators > 0);
  CHECK(unaware % team == 0);  // only whole teams without an active user stay unaware
  CHECK(unaware + evaluators + beginners == 60000);
  CHECK(r.months[1].signups_by_channel[kTeammate] == 0);  // the teams have no one left outside
}

TEST_CASE("teammates: an account without access sends no invites; rate 0 sends none",
          "[teammates]") {
  const ReplicateResult closed = run_replicate(teams(5, 0.2, 100.0, false), 0);
  CHECK(closed.months[0].signups_by_channel[kTeammate] == 0);
  const ReplicateResult off = run_replicate(teams(5, 0.2, 0.0, true), 0);
  CHECK(off.months[0].signups_by_channel[kTeammate] == 0);
}

TEST_CASE("teammates: a step's invite signups match the binomial mixture at 4 SE",
          "[teammates][stochastic]") {
  const int team = 6, accounts = 10000, replicates = 12;
  const double b = 0.3, rate = 0.8;
  // E[signups of one account] = sum over a ~ Binomial(team, b) of
  //   (team - a) x (1 - exp(-rate x a / (team - 1)))   (one monthly step, dt = 1)
  double expected = 0.0;
  for (int a = 0; a <= team; ++a) {
    const double pmf = std::tgamma(team + 1.0) /
                       (std::tgamma(a + 1.0) * std::tgamma(team - a + 1.0)) * std::pow(b, a) *
                       std::pow(1.0 - b, team - a);
    expected += pmf * (team - a) * -std::expm1(-rate * a / (team - 1.0));
  }
  expected *= accounts;
  const RunResult run = run_scenario(teams(team, b, rate, true, replicates));
  std::vector<double> x;
  for (const ReplicateResult& r : run.replicates) {
    x.push_back(static_cast<double>(r.months[0].signups_by_channel[kTeammate]));
  }
  const test::MeanSe got = test::mean_se(x);
  INFO("signups " << got.mean << " +- " << got.se << ", expected " << expected);
  CHECK(std::abs(got.mean - expected) <= 4.0 * got.se);
}
