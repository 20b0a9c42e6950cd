// schedule_changes (include/flywheel/scenario/schedule_changes.hpp): the months at which a
// scenario's schedules change a parameter, with its key path, from the Scenario and from its JSON
// echo in summary.json.
#include "fixtures.hpp"

#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/schedule_changes.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace flywheel;

TEST_CASE("schedule changes: every scheduled parameter that changes, by month, with its path",
          "[loader][schedule]") {
  const Scenario hybrid = load_scenario(test::source_path("scenarios/hybrid-plg-clg.yaml"));
  const std::vector<ScheduleChange> changes = schedule_changes(hybrid);
  const std::vector<ScheduleChange> expected = {
      {12, "strategy.clg.join_per_month", 0, 0.012},
      {12, "strategy.clg.nonuser_draw_per_month", 0, 0.001},
      {12, "strategy.clg.team_size", 0, 2},
      {12, "strategy.clg.support.budget_usd_per_month", 0, 500},
      {12, "strategy.clg.content.budget_usd_per_month", 0, 1000},
      {12, "strategy.clg.events.budget_usd_per_month", 0, 4000},
      {12, "strategy.clg.champions.budget_usd_per_month", 0, 1500},
      {24, "strategy.clg.team_size", 2, 4}};
  CHECK(changes == expected);
  // The same from the echo summary.json holds, and from its text read back.
  const nlohmann::json echo = scenario_to_json(hybrid);
  CHECK(schedule_changes(echo) == expected);
  CHECK(schedule_changes(nlohmann::json::parse(echo.dump())) == expected);

  // A block switched off changes nothing; a piece that repeats the value before is no change;
  // a change after the horizon is listed (the reports leave it out).
  const Scenario off = load_scenario(test::source_path("scenarios/hybrid-plg-clg.yaml"),
                                     {{"strategy.clg.enabled", "false"}});
  CHECK(schedule_changes(off).empty());
  Scenario s = test::small_plg();
  s.strategy.marketing.spend_usd_per_month =
      Schedule{{{0, 100.0}, {3, 100.0}, {5, 200.0}, {40, 50.0}}};
  CHECK(schedule_changes(s) ==
        std::vector<ScheduleChange>{{5, "strategy.marketing.spend_usd_per_month", 100, 200},
                                    {40, "strategy.marketing.spend_usd_per_month", 200, 50}});
  // An echo that is not one (another version's, or damaged) gives what it can read.
  CHECK(
      schedule_changes(
          nlohmann::json::parse(
              R"({"strategy": {"marketing": {"spend_usd_per_month": [{"from_month": 0, "value": 1},
                 {"from_month": "x", "value": 2}]}}, "economics": 3})"))
          .empty());
}
