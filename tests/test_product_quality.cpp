// Co-creation (engine/model/product_quality.cpp): the quality index's target, lag and diminishing
// returns, and its lift of activation for everyone.
#include "fixtures.hpp"

#include "model/product_quality.hpp"

#include <flywheel/model/engine.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

TEST_CASE("quality moves toward a concave target with a lag", "[product_quality]") {
  ClgCoCreation co;
  co.feedback_scale_members = 100;
  co.lag_months = 4;
  CHECK(model::quality_target(co, 0) == 0.0);
  CHECK(model::quality_target(co, 100) == Approx(1 - std::exp(-1.0)));
  CHECK(model::quality_target(co, 200) - model::quality_target(co, 100) <
        model::quality_target(co, 100) - model::quality_target(co, 0));  // diminishing
  const double target = model::quality_target(co, 100);
  // dq/dt = (target - q) / lag, exactly over the step: a month closes 1 - e^(-1/4) of the gap.
  CHECK(model::next_quality(co, 0.0, 100, 1.0) == Approx(target * -std::expm1(-0.25)));
  const double two_lags = model::next_quality(co, 0.5, 100, 8.0);
  CHECK(two_lags == Approx(target + (0.5 - target) * std::exp(-2.0)));           // never overshoots
  CHECK(model::next_quality(co, 0.5, 0, 1.0) == Approx(0.5 * std::exp(-0.25)));  // decays
  // Four quarter-month steps give what one month step gives.
  double weekly = 0.0;
  for (int i = 0; i < 4; ++i) weekly = model::next_quality(co, weekly, 100, 0.25);
  CHECK(weekly == Approx(model::next_quality(co, 0.0, 100, 1.0)).epsilon(1e-12));
  ClgSpec clg;
  clg.enabled = clg.co_creation.enabled = true;
  clg.co_creation.activation_lift = 0.4;
  clg.co_creation.churn_reduction = 0.2;
  const model::QualityMultipliers q = model::quality_multipliers(clg, 0.5);
  CHECK(q.activation == Approx(1.2));
  CHECK(q.churn == Approx(0.9));
  clg.co_creation.enabled = false;
  CHECK(model::quality_multipliers(clg, 0.5).activation == 1.0);
}

TEST_CASE("the engine's quality follows the recurrence of its contributors",
          "[product_quality][stochastic]") {
  // Half regulars who become contributors in step 0, half evaluators (not members) who
  // activate at 20% a month x (1 + quality) with activation_lift 1.
  Scenario s = test::clg_base(20000, 8);
  s.initial.stage_shares = {0, 0, 0.5, 0, 0.5, 0, 0};
  s.funnel.activation_per_month = 0.2;
  s.strategy.clg.initial_members_share = 1.0;
  s.strategy.clg.promote_participating_per_month = 1.0;
  s.strategy.clg.co_creation = {true, Schedule::constant(0.0), 5000.0, 2.0, 1.0, 0.0};
  const ReplicateResult r = run_replicate(s, 0);
  double q = 0;
  for (int m = 0; m < 8; ++m) {
    const auto& level = r.months[m].members_by_level;
    q += (-std::expm1(-static_cast<double>(level[3] + level[4]) / 5000.0) - q) * -std::expm1(-0.5);
    CHECK(r.months[m].product_quality == Approx(q).epsilon(1e-12));
  }
  CHECK(q > 0.8);
  for (int m = 2; m < 8; ++m) {
    const double lift = 1 + r.months[m - 1].product_quality;
    const double evaluators =
        static_cast<double>(r.months[m - 1].users_by_stage[static_cast<int>(Stage::evaluator)]);
    const double p = -std::expm1(lift * std::log1p(-0.2));
    const double se = std::sqrt(evaluators * p * (1 - p));
    INFO("month " << m);
    CHECK(std::abs(static_cast<double>(r.months[m].activations) - evaluators * p) < 4 * se);
  }
}
