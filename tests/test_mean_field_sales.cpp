// The mean-field twin's trials and sales (docs/mean_field.md "Trials and sales"): with the
// mechanisms off the twin is unchanged; the funnel conserves deals and wins sql_to_won of them;
// with capacity never binding the queue is empty and deals wait about the fluid queue's day.
#include "fixtures.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flywheel;

namespace {

double value(const meanfield::ExpectedRun& run, int month, Metric m) {
  return run.months[static_cast<std::size_t>(month - 1)][static_cast<std::size_t>(m)];
}

}  // namespace

TEST_CASE("mean field: sales switched on with nothing sold leave the expectation unchanged",
          "[mean_field]") {
  const std::string path = test::source_path("scenarios/plg-freemium.yaml");
  Scenario off = load_scenario(path);
  off.simulation.months = 12;
  off.targets.clear();
  Scenario on = off;
  on.strategy.slg.enabled = true;  // reps 0, no segment sold
  for (const Segment& g : on.market.segments) REQUIRE_FALSE(g.sales.sold);
  CHECK(meanfield::expected_csv(meanfield::expect(on)) ==
        meanfield::expected_csv(meanfield::expect(off)));
}

TEST_CASE("mean field: the sales funnel conserves deals and wins sql_to_won of them",
          "[mean_field]") {
  // Capacity never binds: 1,000 reps of 15 deals, outbound leads per rep cut to keep the leads.
  Scenario s = load_scenario(
      test::source_path("scenarios/slg-enterprise.yaml"),
      parse_overrides({"strategy.slg.reps=1000", "strategy.slg.outbound_leads_per_rep_month=0.3",
                       "market.segments[1].sales.sql_to_won=0.25"}));
  s.simulation.months = 18;
  s.targets.clear();
  const meanfield::ExpectedRun run = meanfield::expect(s);
  double sqls = 0.0, closed = 0.0;
  for (int month = 1; month <= s.simulation.months; ++month) {
    INFO("month " << month);
    sqls += value(run, month, Metric::sales_sqls);
    const double won = value(run, month, Metric::deals_won);
    const double lost = value(run, month, Metric::deals_lost);
    closed += won + lost;
    if (won + lost > 1.0) CHECK(won / (won + lost) == Approx(0.25).epsilon(1e-6));
    // Every SQL is queued, worked or closed.
    const double open =
        value(run, month, Metric::sales_queue_length) + value(run, month, Metric::sales_pipeline);
    CHECK(closed + open == Approx(sqls).epsilon(1e-4));
    // Free slots take queued deals at a hazard of one a day: the queue holds about a day of SQLs.
    CHECK(value(run, month, Metric::sales_queue_length) <=
          1.5 * value(run, month, Metric::sales_sqls) / 30.0 + 1e-6);
    if (month > 1) CHECK(value(run, month, Metric::sales_wait_days) < 1.5);
  }
  CHECK(sqls > 100.0);
}

TEST_CASE("mean field: trials conserve accounts and convert at most the card mode's share",
          "[mean_field]") {
  Scenario s = load_scenario(test::source_path("scenarios/plg-trial-plus-sales.yaml"),
                             parse_overrides({"strategy.slg.enabled=false"}));
  s.simulation.months = 6;
  s.targets.clear();
  const meanfield::ExpectedRun run = meanfield::expect(s);
  double started = 0.0, ended = 0.0;
  for (int month = 1; month <= s.simulation.months; ++month) {
    INFO("month " << month);
    started += value(run, month, Metric::trials_started);
    const double converted = value(run, month, Metric::trials_converted);
    ended += converted;
    const double conversion = value(run, month, Metric::trial_conversion);
    CHECK(conversion <= s.strategy.plg.trial.conversion_without_card + 1e-9);
    if (std::isfinite(conversion) && conversion > 0.0) ended += converted * (1.0 / conversion - 1.0);
    CHECK(ended <= started * (1.0 + 1e-9));
  }
  // A 14-day trial: nearly every trial started before the last month has ended by its end.
  const double last = value(run, s.simulation.months, Metric::trials_started);
  CHECK(started - ended <= 1.2 * last);
  CHECK(started > 0.0);
}
