// The company's planned content cadence (strategy.clg.content.planned_pieces_per_month,
// engine/model/community_programs.cpp): N real pieces a month, each reaching R real unaware
// people, make N x R / agent_scale simulated people aware a month, as a hazard spread over the
// unaware predicted at the step's middle; their cost counts in community spend. A rule check,
// [stochastic] checks against the rule's expectation at 4 standard errors at month and week
// steps, a schedule that starts at month 2, the switch, and the determinism contract.
#include "fixtures.hpp"

#include "model/community_programs.hpp"
#include "model/model.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/warnings.hpp>

#include "checks.hpp"
#include "cli_run.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace flywheel;
using test::check_binomial;

namespace {

constexpr int kUnaware = static_cast<int>(Stage::unaware);
constexpr int kCommunity = static_cast<int>(Channel::community);

// Everyone unaware, no other channel, no contributor: only the planned pieces make people
// aware. `people` simulated people at agent_scale k.
Scenario cadence_base(std::int64_t people, int k, int months, double pieces, double reach) {
  Scenario s = test::clg_base(people * k, months);
  s.simulation.agent_scale = k;
  s.initial.stage_shares = {1, 0, 0, 0, 0, 0, 0};
  s.acquisition.innovation_p_per_month = 0.0;
  s.acquisition.imitation_q_per_month = 0.0;
  ClgContent& c = s.strategy.clg.content;
  c.enabled = true;
  c.pieces_per_contributor_per_month = 0.0;
  c.planned_pieces_per_month = Schedule::constant(pieces);
  c.people_reached_per_planned_piece = reach;
  return s;
}

}  // namespace

TEST_CASE("planned pieces make pieces x reach / agent_scale people aware a month",
          "[content_cadence]") {
  Scenario s = cadence_base(20000, 10, 3, 4, 1000);
  const model::Model model(s, 0);
  model::Drivers mid;
  mid.unaware = 20000;
  // 4 pieces x 1000 real people / 10 = 400 simulated people a month over 20000 unaware.
  CHECK(model::community_awareness_per_month(model, mid, 0) == Approx(400.0 / 20000));
  CHECK(model::planned_content_pieces(s.strategy.clg, 0) == 4);
  // Hazard form: 1 - exp(-rate x dt) of the unaware in a step, never more than all of them.
  mid.unaware = 100;
  const double rate = model::community_awareness_per_month(model, mid, 0);
  CHECK(rate == Approx(4.0));
  CHECK(100 * -std::expm1(-rate) < 100);
  // No unaware, no rate (and no division by 0).
  mid.unaware = 0;
  CHECK(model::community_awareness_per_month(model, mid, 0) == 0.0);
  // Cost: pieces x cost per piece, on top of the program's budget.
  s.strategy.clg.content.budget_usd_per_month = Schedule::constant(1000);
  s.strategy.clg.content.usd_per_planned_piece = 450;
  CHECK(model::community_spend_cents(s.strategy.clg, 0) == (1000 + 4 * 450) * 100);
}

TEST_CASE("planned pieces are capped by the unaware stock", "[content_cadence]") {
  // Reach far beyond the market: every unaware person is made aware in the first step, and no
  // more than them.
  const Scenario s = cadence_base(2000, 1, 2, 10, 1e6);
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].awareness_by_channel[kCommunity] == 2000);
  CHECK(r.months[0].users_by_stage[kUnaware] == 0);
  CHECK(r.months[1].awareness_by_channel[kCommunity] == 0);
}

TEST_CASE("the planned cadence needs the content program", "[content_cadence]") {
  Scenario s = cadence_base(2000, 1, 2, 4, 1000);
  for (const Diagnostic& w : scenario_warnings(s)) {
    INFO(w.path << ": " << w.message);
    CHECK(w.path.rfind("strategy.clg", 0) != 0);  // planned readers join: a community
  }
  s.strategy.clg.content.enabled = false;
  s.strategy.clg.join_per_month = Schedule::constant(0.05);  // a community, without content
  CHECK(model::planned_content_pieces(s.strategy.clg, 0) == 0.0);
  CHECK(model::community_spend_cents(s.strategy.clg, 0) == 0);
  const ReplicateResult r = run_replicate(s, 0);
  CHECK(r.months[0].awareness_by_channel[kCommunity] == 0);
  CHECK(r.months[0].content_pieces_planned == 0.0);
  const std::vector<Diagnostic> w = scenario_warnings(s);
  const bool warned = std::any_of(w.begin(), w.end(), [](const Diagnostic& x) {
    return x.path == "strategy.clg.content.planned_pieces_per_month";
  });
  CHECK(warned);
}

TEST_CASE("a planned cadence makes its expected count aware at month steps",
          "[content_cadence][stochastic]") {
  // 4 pieces x 1000 people / agent_scale 10 = 400 simulated people a month over ~20000 unaware.
  const double flow = 400;
  const Scenario s = cadence_base(20000, 10, 3, 4, 1000);
  const ReplicateResult r = run_replicate(s, 0);
  // Month 0: the middle of step 0 is its start.
  const double u0 = 20000;
  check_binomial(static_cast<double>(r.months[0].awareness_by_channel[kCommunity]), u0,
                 -std::expm1(-flow / u0));
  // Month 1 and 2: the unaware at the step's middle, log-linear from the last two month ends.
  double before = u0;
  for (int m = 1; m < 3; ++m) {
    const double now = static_cast<double>(r.months[m - 1].users_by_stage[kUnaware]);
    const double mid = now * std::clamp(std::sqrt(now / before), 0.5, 2.0);
    INFO("month " << m);
    check_binomial(static_cast<double>(r.months[m].awareness_by_channel[kCommunity]), now,
                   -std::expm1(-flow / mid));
    before = now;
  }
  CHECK(r.months[1].content_pieces_planned == 4.0);
  CHECK(derive_metrics(r.months[1], 10)[static_cast<int>(Metric::content_pieces)] == 4.0);
}

TEST_CASE("a planned cadence makes pieces x reach / agent_scale aware a month at week steps",
          "[content_cadence][stochastic]") {
  // At week steps the month's count is the sum of four steps, each at the hazard over the
  // unaware at its middle: the flow is pieces x reach / k a month to second order in
  // flow / unaware (here 2%), far inside the standard error.
  const double flow = 400;
  Scenario s = cadence_base(20000, 10, 4, 4, 1000);
  s.simulation.step = StepSize::week;
  for (std::uint32_t replicate : {0u, 1u}) {
    const ReplicateResult r = run_replicate(s, replicate);
    for (int m = 1; m < 4; ++m) {
      const double unaware = static_cast<double>(r.months[m - 1].users_by_stage[kUnaware]);
      INFO("replicate " << replicate << ", month " << m);
      check_binomial(static_cast<double>(r.months[m].awareness_by_channel[kCommunity]),
                     unaware, flow / unaware);
    }
  }
}

TEST_CASE("a planned cadence from month 2 acts from month 2", "[content_cadence][stochastic]") {
  Scenario s = cadence_base(20000, 10, 4, 0, 1000);
  s.strategy.clg.content.planned_pieces_per_month = Schedule{{{0, 0.0}, {2, 4.0}}};
  s.strategy.clg.content.usd_per_planned_piece = 500;
  const ReplicateResult r = run_replicate(s, 0);
  for (int m = 0; m < 2; ++m) {
    INFO("month " << m);
    CHECK(r.months[m].awareness_by_channel[kCommunity] == 0);
    CHECK(r.months[m].content_pieces_planned == 0.0);
    CHECK(r.months[m].spend_community_cents == 0);
  }
  // Month 2: the unaware did not change before it, so the middle of its step is its start.
  const double u = static_cast<double>(r.months[1].users_by_stage[kUnaware]);
  CHECK(u == 20000);
  check_binomial(static_cast<double>(r.months[2].awareness_by_channel[kCommunity]), u,
                 -std::expm1(-400 / u));
  CHECK(r.months[2].content_pieces_planned == 4.0);
  CHECK(r.months[2].spend_community_cents == 4 * 500 * 100);
  CHECK(r.months[3].spend_community_cents == 4 * 500 * 100);
}

TEST_CASE("a planned cadence gives the same files at 1 and 2 threads",
          "[content_cadence][cli]") {
  const test::CliWorkspace ws("content-cadence");
  const std::string scenario = test::source_path("scenarios/hypotheses/four-articles-a-month.yaml");
  std::string files[2];
  for (int threads : {1, 2}) {
    const std::string out = "t" + std::to_string(threads);
    const test::CliResult run = test::run_cli_in(
        ws.work(), "run '" + scenario +
                       "' --replicates 4 --seed 3 --set market.people=200000 "
                       "--set simulation.months=12 --set targets=[] --quiet --threads " +
                       std::to_string(threads) + " --out " + out);
    REQUIRE(run.code == 0);
    files[threads - 1] = test::read_text(ws.work() / out / "timeseries.csv") +
                         test::read_text(ws.work() / out / "summary.json");
  }
  CHECK(!files[0].empty());
  CHECK(files[0] == files[1]);
}
