// What the loader gives back: schema defaults equal to the Scenario's own, the JSON echo that
// loads back to an equal Scenario, the generated parameter reference, and every shipped scenario.
#include "fixtures.hpp"
#include "loader_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using flywheel::Scenario;
using nlohmann::json;

namespace {

const std::string kRich =
    "name: rich\n"
    "description: every kind of parameter\n"
    "simulation: {months: 60, step: day, replicates: 7, seed: 4294967295, agent_scale: 5}\n"
    "market:\n"
    "  people: 2000000000\n"
    "  segments:\n"
    "    - name: smb\n"
    "      share: 0.7\n"
    "      account_size: {distribution: fixed, mean_people: 4, max_people: 4}\n"
    "      price_usd_per_seat_month: 9.99\n"
    "      cancel_per_month: 0.0125\n"
    "    - name: enterprise_2\n"
    "      share: 0.3\n"
    "      account_size: {distribution: lognormal, mean_people: 250.5, sigma: 0.7}\n"
    "acquisition:\n"
    "  innovation_p_per_month: 0.001\n"
    "  imitation_q_per_month: 0.38\n"
    "  word_of_mouth_sources: [evaluator, champion]\n"
    "funnel:\n"
    "  signup_per_month: 0.1\n"
    "  activation_window_days: 14.5\n"
    "  churn_per_month: {evaluator: 0.3, champion: 0.01}\n"
    "strategy:\n"
    "  marketing:\n"
    "    spend_usd_per_month: [{from_month: 0, value: 0}, {from_month: 6, value: 1.5e5}]\n"
    "    cost_per_aware_usd: 3.25\n"
    "  plg: {pql_min_active_users: 5, free_conversion_per_month: 0.003, min_seats: 2}\n"
    "initial:\n"
    "  stage_shares: {unaware: 0.9, regular: 0.07, churned: 0.03}\n"
    "targets:\n"
    "  - {metric: arr_usd, at_least: 1e7, by_month: 48}\n"
    "  - {metric: logo_churn, at_least: -0.5, at_most: 0.02, by_month: 60}\n";

std::vector<std::filesystem::path> shipped_scenarios() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path root = std::filesystem::path(FLYWHEEL_SOURCE_DIR) / "scenarios";
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const bool sweep_spec = flywheel::test::in_spec_folder(entry.path());  // not scenarios
    if (entry.is_regular_file() && entry.path().extension() == ".yaml" && !sweep_spec) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("loader: left-out parameters take the schema defaults, equal to Scenario's", "[loader]") {
  Scenario expected;
  expected.name = "t";
  expected.source_file = "ok.yaml";
  expected.market.people = 1000;
  flywheel::Segment smb;
  smb.name = "smb";
  smb.share = 1.0;
  expected.market.segments = {smb};
  CHECK(flywheel::load_scenario_text(flywheel::loader_test::kMinimal, "ok.yaml") == expected);
}

TEST_CASE("loader: the rich scenario is read into the right fields", "[loader]") {
  const Scenario s = flywheel::load_scenario_text(kRich, "rich.yaml");
  CHECK(s.simulation.step == flywheel::StepSize::day);
  CHECK(s.simulation.seed == 4294967295u);
  CHECK(s.market.people == 2000000000);
  CHECK(s.market.segments[1].name == "enterprise_2");
  CHECK(s.market.segments[1].account_size.distribution == flywheel::SizeDistribution::lognormal);
  CHECK(s.market.segments[1].account_size.mean_people == 250.5);
  CHECK(s.market.segments[1].account_size.max_people == 1000);
  CHECK(s.funnel.churn_per_month == std::array<double, 7>{0, 0, 0.3, 0, 0, 0.01, 0});
  CHECK(s.strategy.marketing.spend_usd_per_month.at(5) == 0);
  CHECK(s.strategy.marketing.spend_usd_per_month.at(6) == 150000);
  CHECK(s.strategy.plg.free_conversion_per_month == flywheel::Schedule::constant(0.003));
  CHECK(s.initial.stage_shares == std::array<double, 7>{0.9, 0, 0, 0, 0.07, 0, 0.03});
  REQUIRE(s.targets.size() == 2);
  CHECK(s.targets[0].at_least == 1e7);
  CHECK_FALSE(s.targets[0].at_most.has_value());
  CHECK(s.targets[1].at_most == 0.02);
  CHECK(s.targets[1].by_month == 60);
}

TEST_CASE("loader: scenario_to_json loads back to an equal scenario", "[loader][json]") {
  const Scenario original = flywheel::load_scenario_text(kRich, "rich.yaml");
  const json echo = flywheel::scenario_to_json(original);
  CHECK_FALSE(echo.contains("extends"));
  CHECK_FALSE(echo.contains("source_file"));
  CHECK(echo["strategy"]["marketing"]["spend_usd_per_month"] ==
        json::parse(R"([{"from_month": 0, "value": 0.0}, {"from_month": 6, "value": 150000.0}])"));
  CHECK(echo["strategy"]["plg"]["free_conversion_per_month"] == 0.003);  // one piece: a number
  CHECK(echo["acquisition"]["word_of_mouth_sources"] ==
        json::parse(R"(["evaluator", "champion"])"));
  CHECK(echo["simulation"]["step"] == "day");
  CHECK(echo["targets"][0].contains("at_least"));
  CHECK_FALSE(echo["targets"][0].contains("at_most"));
  CHECK(echo["funnel"]["adoption_per_month"] == 0.0);  // defaults are echoed too
  Scenario reloaded = flywheel::load_scenario_text(echo.dump(2), "rich.json");
  CHECK(reloaded.source_file == "rich.json");
  reloaded.source_file = original.source_file;
  CHECK(reloaded == original);
  // The echo is stable: dumping the reloaded scenario gives the same text.
  CHECK(flywheel::scenario_to_json(reloaded).dump() == echo.dump());
}

TEST_CASE("loader: docs/parameters.md is the generated parameter reference", "[loader][docs]") {
  const std::string path = std::string(FLYWHEEL_SOURCE_DIR) + "/docs/parameters.md";
  const std::string generated = flywheel::parameter_reference_markdown();
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  INFO(
      "docs/parameters.md is out of date; regenerate with: build/flywheel params > "
      "docs/parameters.md");
  CHECK(text.str() == generated);
  CHECK(generated.find("| `funnel.signup_per_month` | probability | probability/month | "
                       "in [0, 1] | `0` | aware -> evaluator: sign up. |") != std::string::npos);
  CHECK(generated.find("| `market.segments[].share` | number | share | in (0, 1] | "
                       "**required** |") != std::string::npos);
  CHECK(generated.find("| `acquisition.word_of_mouth_sources` | list of stages |  | aware, "
                       "evaluator, beginner, regular, champion | `[regular, champion]` |") !=
        std::string::npos);
}

TEST_CASE("loader: every parameter of the schema is documented once", "[loader][docs]") {
  const std::string reference = flywheel::parameter_reference_markdown();
  const json echo = flywheel::scenario_to_json(flywheel::load_scenario_text(kRich, "rich.yaml"));
  // Each leaf of the echo (a sample of every block) appears as a documented path.
  for (const char* path : {"`simulation.agent_scale`", "`market.segments[].account_size.sigma`",
                           "`strategy.plg.min_seats`", "`initial.stage_shares`",
                           "`targets[].by_month`", "`extends`", "`network.model`"}) {
    INFO(path);
    const std::size_t first = reference.find(std::string("| ") + path + " |");
    CHECK(first != std::string::npos);
    CHECK(reference.find(std::string("| ") + path + " |", first + 1) == std::string::npos);
  }
  CHECK(echo.size() == 11);  // name, description and the nine blocks; no extends
}

TEST_CASE("loader: every shipped scenario loads and round-trips through JSON",
          "[loader][scenarios]") {
  const std::vector<std::filesystem::path> files = shipped_scenarios();
  if (files.empty()) {
    WARN("no scenarios under " FLYWHEEL_SOURCE_DIR "/scenarios yet");
    return;
  }
  for (const std::filesystem::path& file : files) {
    INFO(file.string());
    try {
      const Scenario s = flywheel::load_scenario(file.string());
      CHECK_FALSE(s.name.empty());
      Scenario again = flywheel::load_scenario_text(flywheel::scenario_to_json(s).dump(), "echo");
      again.source_file = s.source_file;
      CHECK(again == s);
    } catch (const flywheel::InputError& error) {
      FAIL(error.what());
    }
  }
}
