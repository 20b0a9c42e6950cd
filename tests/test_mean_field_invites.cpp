// Teammate invites in the mean-field twin (docs/mean_field.md "Teammate invites") against a
// direct Monte Carlo of single accounts under the same continuous-time rules: the head count's
// law (invite_laws.hpp) is exact for this process but for the day it takes to activate, so the
// twin's PQLs (accounts with three or more active users), free active accounts and active users
// must match the accounts' simulation; the Binomial closure had PQLs far below.
#include "fixtures.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <random>
#include <vector>

using namespace flywheel;

namespace {

struct AccountRules {
  int people = 4;
  double aware = 0.0;     // per unaware person, a month (organic)
  double signup = 0.0;    // per aware person
  double invites = 0.0;   // per active user, a month, spread over its people - 1 teammates
  double activate = 0.0;  // per evaluator
};

// Accounts' head counts at month ends 1 .. months: per month, [0] mean active users, [1] share
// with an active user, [2] share with 3 or more. A Gillespie simulation of each account: people
// unaware, aware, evaluating or active; no churn.
std::vector<std::array<double, 3>> simulate(const AccountRules& r, int accounts, int months,
                                            std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<std::array<double, 3>> out(static_cast<std::size_t>(months), {0.0, 0.0, 0.0});
  for (int a = 0; a < accounts; ++a) {
    int unaware = r.people, aware = 0, evaluating = 0, active = 0;
    double t = 0.0;
    int next = 1;  // the next month end to record
    while (next <= months) {
      const double invite = r.invites * active / (r.people - 1);
      const double rates[] = {r.aware * unaware, r.signup * aware, invite * (unaware + aware),
                              r.activate * evaluating};
      const double total = rates[0] + rates[1] + rates[2] + rates[3];
      const double dt = total > 0.0 ? -std::log(1.0 - uniform(rng)) / total : 1e9;
      for (; next <= months && t + dt >= next; ++next) {
        auto& m = out[static_cast<std::size_t>(next - 1)];
        m[0] += active;
        m[1] += active >= 1 ? 1.0 : 0.0;
        m[2] += active >= 3 ? 1.0 : 0.0;
      }
      t += dt;
      if (next > months) break;
      double pick = uniform(rng) * total;
      if ((pick -= rates[0]) < 0.0) {
        --unaware, ++aware;
      } else if ((pick -= rates[1]) < 0.0) {
        --aware, ++evaluating;
      } else if ((pick -= rates[2]) < 0.0) {
        // an invitee, unaware or aware in proportion
        if (uniform(rng) * (unaware + aware) < unaware) --unaware; else --aware;
        ++evaluating;
      } else {
        --evaluating, ++active;
      }
    }
  }
  for (auto& m : out) {
    for (double& v : m) v /= accounts;
  }
  return out;
}

}  // namespace

TEST_CASE("mean field: teammate invites match a Monte Carlo of the accounts",
          "[mean_field][invites]") {
  // Accounts of four people in a closed market: people become aware organically, sign up and
  // activate (within a day), and active users invite their teammates; nothing churns, nobody
  // pays. Invites are the only link between people of one account.
  const Scenario s = load_scenario(
      test::source_path("scenarios/validation/markov.yaml"),
      parse_overrides({"market.people=400000",
                       "market.segments[0].account_size.mean_people=4",
                       "acquisition.innovation_p_per_month=0.02",
                       "funnel.signup_per_month=0.5", "funnel.forget_per_month=0",
                       "funnel.activation_per_month=1", "funnel.adoption_per_month=0",
                       "funnel.advocacy_per_month=0", "funnel.reactivation_per_month=0",
                       "funnel.churn_per_month={evaluator: 0, beginner: 0, regular: 0, champion: 0}",
                       "funnel.teammate_invites_per_month=0.6",
                       "initial.stage_shares={unaware: 1}",
                       "strategy.plg.pql_min_active_users=3",
                       "strategy.plg.free_conversion_per_month=0",
                       "strategy.plg.pql_conversion_per_month=0"}));
  REQUIRE(s.market.segments[0].account_size.distribution == SizeDistribution::fixed);
  const meanfield::ExpectedRun twin = meanfield::expect(s);
  AccountRules r;
  r.people = 4;
  r.aware = s.acquisition.innovation_p_per_month;
  r.signup = -std::log1p(-s.funnel.signup_per_month);
  r.invites = s.funnel.teammate_invites_per_month;
  r.activate = 30.4375;  // "at once": a hazard of one a day, as the twin's
  const int accounts = 40000;
  const auto mc = simulate(r, accounts, s.simulation.months, 20240611);
  const double real_accounts = static_cast<double>(s.market.people) / r.people;
  for (int month : {6, 12, 24}) {
    const auto& m = mc[static_cast<std::size_t>(month - 1)];
    const auto& v = twin.months[static_cast<std::size_t>(month - 1)];
    const double active = v[static_cast<std::size_t>(Metric::active_users)] / real_accounts;
    const double free_active = v[static_cast<std::size_t>(Metric::accounts_free_active)] / real_accounts;
    const double pqls = v[static_cast<std::size_t>(Metric::pqls)] / real_accounts;
    // Standard errors of the simulation's shares and mean (active users: at most 4 per account).
    auto se = [&](double p) { return std::sqrt(p * (1.0 - p) / accounts); };
    INFO("month " << month << ": active users per account " << active << " vs " << m[0]
                  << ", with one " << free_active << " vs " << m[1] << ", PQLs " << pqls
                  << " vs " << m[2]);
    CHECK(std::abs(active - m[0]) <= 4 * 2.0 * std::sqrt(m[0] / accounts) + 0.02 * m[0]);
    CHECK(std::abs(free_active - m[1]) <= 4 * se(m[1]) + 0.02 * m[1]);
    CHECK(std::abs(pqls - m[2]) <= 4 * se(m[2]) + 0.03 * m[2]);
  }
}
