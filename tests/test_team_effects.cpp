// Network effects within accounts (funnel.team_adoption_lift, funnel.team_churn_reduction):
// with every teammate active (share 1) the hazards change by the documented factors; single-
// person accounts and a zero lift keep the base hazards.
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/spec/metrics.hpp>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace flywheel;

namespace {

// Everyone starts a beginner in a team of `team` people; one monthly step decides month 1.
Scenario teams(int team, double adoption, double churn, double lift, double reduction) {
  const std::string yaml = fmt::format(R"(name: teams
simulation: {{months: 1, step: month, replicates: 4, seed: 5}}
market:
  people: 40000
  segments:
    - {{name: all, share: 1.0, account_size: {{distribution: fixed, mean_people: {}}}}}
acquisition: {{innovation_p_per_month: 0, imitation_q_per_month: 0}}
funnel:
  signup_per_month: 0
  activation_per_month: 0
  adoption_per_month: {}
  churn_per_month: {{evaluator: 0, beginner: {}, regular: 0, champion: 0}}
  team_adoption_lift: {}
  team_churn_reduction: {}
initial: {{stage_shares: {{unaware: 0, beginner: 1}}}}
strategy: {{plg: {{free_tier: true}}}}
)",
                                       team, adoption, churn, lift, reduction);
  return load_scenario_text(yaml, "teams.yaml");
}

// Share of the people who left the beginner stage by `metric` in month 1, pooled.
double share_of_people(const Scenario& s, Metric metric, double& se) {
  const RunResult run = run_scenario(s);
  double moved = 0, people = 0;
  for (const ReplicateResult& r : run.replicates) {
    moved += derive_metrics(r.months[0], 1)[static_cast<int>(metric)];
    people += static_cast<double>(s.market.people);
  }
  const double p = moved / people;
  se = std::sqrt(p * (1 - p) / people);
  return p;
}

// The pooled share moved by `metric` is within 4 standard errors of `expected`.
void check_share(const Scenario& s, Metric metric, double expected) {
  double se = 0;
  const double p = share_of_people(s, metric, se);
  INFO("observed " << p << ", expected " << expected << ", se " << se);
  CHECK(std::abs(p - expected) < 4 * se);
}

}  // namespace

TEST_CASE("a fully active team doubles adoption at lift 1", "[stochastic][team]") {
  // hazard x (1 + 1 x 1): monthly probability 1 - (1 - 0.1)^2
  check_share(teams(4, 0.1, 0, 1.0, 0), Metric::adoptions, 0.19);
  check_share(teams(4, 0.1, 0, 0.0, 0), Metric::adoptions, 0.10);
  // A one-person account has no teammates: base hazard.
  check_share(teams(1, 0.1, 0, 1.0, 0), Metric::adoptions, 0.10);
}

TEST_CASE("a fully active team halves churn at reduction 0.5", "[stochastic][team]") {
  // hazard x (1 - 0.5 x 1): monthly probability 1 - (1 - 0.2)^0.5
  check_share(teams(4, 0, 0.2, 0, 0.5), Metric::churned_users, 1 - std::sqrt(0.8));
  check_share(teams(4, 0, 0.2, 0, 0.0), Metric::churned_users, 0.2);
}

TEST_CASE("single-person accounts are untouched by team effects, draw for draw", "[team]") {
  // The team rules are built and looked up, but no one has a teammate: bin 0, base rules.
  const RunResult off = run_scenario(teams(1, 0.1, 0.2, 0, 0));
  const RunResult on = run_scenario(teams(1, 0.1, 0.2, 2.0, 0.5));
  for (std::size_t r = 0; r < off.replicates.size(); ++r) {
    CHECK(off.replicates[r].months == on.replicates[r].months);
  }
}
