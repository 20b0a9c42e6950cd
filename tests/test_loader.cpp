// Malformed scenarios: each must be refused with the exact first diagnostic (file, line, column,
// key path, problem and rule). Extends, overrides and JSON live in their own test files.
#include "loader_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using flywheel::loader_test::first_diagnostic;
using flywheel::loader_test::kMinimal;

namespace {

struct BadCase {
  const char* label;
  std::string yaml;
  std::string first;  // the exact first diagnostic
};

// Lines 7.. follow kMinimal's six lines.
const std::vector<BadCase> kBadCases = {
    {"unknown key, near miss", kMinimal + "funnel:\n  signup_per_mont: 0.1\n",
     "bad.yaml:8:3: funnel.signup_per_mont: unknown key; did you mean signup_per_month?"},
    {"unknown key, no near miss", kMinimal + "colour: red\n",
     "bad.yaml:7:1: colour: unknown key; expected one of name, description, extends, simulation, "
     "market, acquisition, network, funnel, strategy, economics, initial, targets"},
    {"duplicate key",
     kMinimal + "funnel:\n  adoption_per_month: 0.1\n  signup_per_month: 0.2\n"
                "  adoption_per_month: 0.3\n",
     "bad.yaml:10:3: funnel.adoption_per_month: duplicate key (first at line 8); expected each "
     "key once"},
    {"duplicate key in a flow map",
     kMinimal + "funnel: {signup_per_month: 0.1, signup_per_month: 0.2}\n",
     "bad.yaml:7:33: funnel.signup_per_month: duplicate key (first at line 7, column 10); "
     "expected each key once"},
    {"negative integer", kMinimal + "strategy:\n  plg:\n    min_seats: -3\n",
     "bad.yaml:9:16: strategy.plg.min_seats: -3 is negative; expected an integer >= 1"},
    {"probability above 1", kMinimal + "funnel:\n  signup_per_month: 1.3\n",
     "bad.yaml:8:21: funnel.signup_per_month: 1.3 is above 1; expected a probability in [0, 1]"},
    {"text for a number", kMinimal + "funnel:\n  signup_per_month: abc\n",
     "bad.yaml:8:21: funnel.signup_per_month: \"abc\" is not a number; expected a probability in "
     "[0, 1]"},
    {"list for a number", kMinimal + "funnel:\n  signup_per_month: [0.1]\n",
     "bad.yaml:8:21: funnel.signup_per_month: a list is not a number; expected a probability in "
     "[0, 1]"},
    {"fraction for an integer", kMinimal + "simulation:\n  months: 1.5\n",
     "bad.yaml:8:11: simulation.months: 1.5 is not an integer; expected an integer number of "
     "months in [1, 600]"},
    {"quoted number", kMinimal + "simulation:\n  months: \"36\"\n",
     "bad.yaml:8:11: simulation.months: \"36\" is quoted text, not an integer; expected an "
     "integer number of months in [1, 600]"},
    {"YAML 1.1 underscores", kMinimal + "simulation:\n  replicates: 1_000\n",
     "bad.yaml:8:15: simulation.replicates: \"1_000\" is not an integer; expected an integer in "
     "[1, 1000000]"},
    {"NaN", kMinimal + "funnel:\n  forget_per_month: .nan\n",
     "bad.yaml:8:21: funnel.forget_per_month: .nan is not finite; expected a probability in "
     "[0, 1]"},
    {"infinity", kMinimal + "acquisition:\n  innovation_p_per_month: .inf\n",
     "bad.yaml:8:27: acquisition.innovation_p_per_month: .inf is not finite; expected a rate per "
     "month in [0, 100]"},
    {"huge number", kMinimal + "funnel:\n  advocacy_per_month: 1e400\n",
     "bad.yaml:8:23: funnel.advocacy_per_month: 1e400 is out of range; expected a probability "
     "in [0, 1]"},
    {"huge integer",
     kMinimal + "strategy:\n  plg:\n    pql_min_active_users: 99999999999999999999\n",
     "bad.yaml:9:27: strategy.plg.pql_min_active_users: 99999999999999999999 is out of range; "
     "expected an integer >= 1"},
    {"integer above its range", kMinimal + "simulation:\n  seed: 4294967296\n",
     "bad.yaml:8:9: simulation.seed: 4294967296 is above 4294967295; expected an integer in "
     "[0, 4294967295]"},
    {"zero where a positive integer is needed", kMinimal + "simulation:\n  agent_scale: 0\n",
     "bad.yaml:8:16: simulation.agent_scale: 0 is below 1; expected an integer in [1, 1000000]"},
    {"empty value", kMinimal + "simulation:\n  months:\n",
     "bad.yaml:8:3: simulation.months: no value; expected an integer number of months in "
     "[1, 600]"},
    {"missing required key in a block", "name: t\nmarket:\n  segments: [{name: smb, share: 1}]\n",
     "bad.yaml:2:1: market.people: missing; expected an integer number of people in "
     "[1, 2000000000]"},
    {"unknown key standing for a required one",
     "name: t\nmarket:\n  peopel: 10\n  segments: [{name: smb, share: 1}]\n",
     "bad.yaml:3:3: market.peopel: unknown key; did you mean people?"},
    {"missing name", "market:\n  people: 10\n  segments: [{name: smb, share: 1}]\n",
     "bad.yaml:1:1: name: missing; expected a non-empty string"},
    {"missing market", "name: t\n",
     "bad.yaml:1:1: market: missing; expected a map with people and segments"},
    {"empty name", "name: ''\nmarket:\n  people: 10\n  segments: [{name: smb, share: 1}]\n",
     "bad.yaml:1:7: name: empty string; expected a non-empty string"},
    {"root is a list", "- name: t\n- market: {}\n",
     "bad.yaml:1:1: a list is not a map; expected a scenario map with name and market"},
    {"root is a scalar", "just some words\n",
     "bad.yaml:1:1: \"just some words\" is not a map; expected a scenario map with name and "
     "market"},
    {"empty file", "", "bad.yaml: empty file; expected a scenario map with name and market"},
    {"comments only", "# nothing here\n",
     "bad.yaml: empty file; expected a scenario map with name and market"},
    {"not YAML", "name: t\nmarket: [1, 2\n",
     "bad.yaml:3:1: invalid YAML: end of sequence flow not found; expected well-formed YAML "
     "(check indentation, colons, brackets and quotes)"},
    {"tab in indentation", "name: t\nmarket:\n\tpeople: 3\n",
     "bad.yaml:3:1: tab in indentation; expected spaces (YAML does not allow tabs there)"},
    {"second document", kMinimal + "---\nname: u\n",
     "bad.yaml:7:1: a second YAML document starts here; expected one scenario per file"},
    {"market is not a map", "name: t\nmarket: 12\n",
     "bad.yaml:2:9: market: 12 is not a map; expected a map with people and segments"},
    {"segments not a list", "name: t\nmarket:\n  people: 10\n  segments: smb\n",
     "bad.yaml:4:13: market.segments: \"smb\" is not a list; expected a non-empty list of "
     "segments"},
    {"no segments", "name: t\nmarket:\n  people: 10\n  segments: []\n",
     "bad.yaml:4:13: market.segments: an empty list; expected a non-empty list of segments"},
    {"segment is not a map", "name: t\nmarket:\n  people: 10\n  segments: [smb]\n",
     "bad.yaml:4:14: market.segments[0]: \"smb\" is not a map; expected a map of name, share, "
     "account_size, price_usd_per_seat_month, cancel_per_month, sales"},
    {"shares do not sum to 1",
     "name: t\nmarket:\n  people: 10\n  segments:\n    - {name: a, share: 0.5}\n"
     "    - {name: b, share: 0.4}\n",
     "bad.yaml:5:5: market.segments: shares sum to 0.9; expected a sum of 1"},
    {"share of zero",
     "name: t\nmarket:\n  people: 10\n  segments:\n    - {name: a, share: 0}\n"
     "    - {name: b, share: 1}\n",
     "bad.yaml:5:24: market.segments[0].share: 0 is not above 0; expected a share in (0, 1]"},
    {"segment name not an identifier",
     "name: t\nmarket:\n  people: 10\n  segments:\n    - {name: SMB, share: 1}\n",
     "bad.yaml:5:14: market.segments[0].name: \"SMB\" is not a valid name; expected a name "
     "matching [a-z][a-z0-9_]*"},
    {"segment names repeated",
     "name: t\nmarket:\n  people: 10\n  segments:\n    - {name: a, share: 0.5}\n"
     "    - {name: a, share: 0.5}\n",
     "bad.yaml:6:14: market.segments[1].name: \"a\" is already the name of market.segments[0]; "
     "expected unique segment names"},
    {"tier names repeated",
     kMinimal + "strategy:\n  plg:\n    tiers: [{name: team, price_multiplier: 1}, "
                "{name: team, price_multiplier: 2}]\n",
     "bad.yaml:9:55: strategy.plg.tiers[1].name: \"team\" is already the name of "
     "strategy.plg.tiers[0]; expected unique tier names"},
    {"trial flag not a boolean", kMinimal + "strategy:\n  plg:\n    trial: {enabled: yes}\n",
     "bad.yaml:9:22: strategy.plg.trial.enabled: \"yes\" is not a boolean; expected true or "
     "false"},
    {"max_people below mean_people",
     kMinimal + "      account_size: {mean_people: 5, max_people: 2}\n",
     "bad.yaml:7:50: market.segments[0].account_size.max_people: max_people 2 is below "
     "mean_people 5; expected max_people >= mean_people"},
    {"unknown size distribution", kMinimal + "      account_size: {distribution: normal}\n",
     "bad.yaml:7:36: market.segments[0].account_size.distribution: \"normal\" is not a choice; "
     "expected one of fixed, geometric, lognormal"},
    {"step near miss", kMinimal + "simulation: {step: weekly}\n",
     "bad.yaml:7:20: simulation.step: \"weekly\" is not a choice; did you mean week?"},
    {"unknown metric, near miss",
     kMinimal + "targets:\n  - {metric: arr_us, at_least: 1, by_month: 12}\n",
     "bad.yaml:8:14: targets[0].metric: \"arr_us\" is not a known metric; did you mean arr_usd?"},
    {"target without a bound", kMinimal + "targets:\n  - {metric: arr_usd, by_month: 12}\n",
     "bad.yaml:8:5: targets[0]: no bound given; expected at_least, at_most or both"},
    {"target after the horizon",
     kMinimal +
         "simulation: {months: 24}\ntargets:\n  - {metric: mrr_usd, at_most: 5, by_month: 30}\n",
     "bad.yaml:9:45: targets[0].by_month: 30 is after the horizon (simulation.months 24); "
     "expected an integer month in [1, 24]"},
    {"target bounds crossed",
     kMinimal + "targets:\n  - {metric: logo_churn, at_least: 0.5, at_most: 0.1, by_month: 3}\n",
     "bad.yaml:8:50: targets[0].at_most: at_most 0.1 is below at_least 0.5; expected at_most >= "
     "at_least"},
    {"schedule starting late",
     kMinimal + "strategy:\n  marketing:\n    spend_usd_per_month: [{from_month: 3, value: 5}]\n",
     "bad.yaml:9:40: strategy.marketing.spend_usd_per_month[0].from_month: 3 is not 0; expected "
     "the first piece to start at month 0"},
    {"schedule going back in time",
     kMinimal + "strategy:\n  plg:\n    free_conversion_per_month:\n"
                "      - {from_month: 0, value: 0.1}\n      - {from_month: 0, value: 0.2}\n",
     "bad.yaml:11:22: strategy.plg.free_conversion_per_month[1].from_month: 0 is not after the "
     "previous piece's month 0; expected from_month to increase strictly"},
    {"schedule value out of range",
     kMinimal + "strategy:\n  plg:\n    pql_conversion_per_month: [{from_month: 0, value: 2}]\n",
     "bad.yaml:9:55: strategy.plg.pql_conversion_per_month[0].value: 2 is above 1; expected a "
     "probability in [0, 1]"},
    {"schedule piece key near miss",
     kMinimal + "strategy:\n  plg:\n    pql_conversion_per_month: [{from_month: 0, valu: 0.1}]\n",
     "bad.yaml:9:48: strategy.plg.pql_conversion_per_month[0].valu: unknown key; did you mean "
     "value?"},
    {"schedule given as a map",
     kMinimal + "strategy:\n  marketing:\n    spend_usd_per_month: {value: 3}\n",
     "bad.yaml:9:26: strategy.marketing.spend_usd_per_month: a map is not a schedule; expected an "
     "amount in USD >= 0, or a list of {from_month, value} pieces"},
    {"word of mouth stage near miss",
     kMinimal + "acquisition:\n  word_of_mouth_sources: [regular, champions]\n",
     "bad.yaml:8:36: acquisition.word_of_mouth_sources[1]: \"champions\" is not an allowed stage; "
     "did you mean champion?"},
    {"word of mouth stage twice",
     kMinimal + "acquisition:\n  word_of_mouth_sources: [regular, regular]\n",
     "bad.yaml:8:36: acquisition.word_of_mouth_sources[1]: regular is listed twice; expected "
     "each stage once"},
    {"stage shares not summing to 1",
     kMinimal + "initial:\n  stage_shares: {unaware: 0.5, aware: 0.3}\n",
     "bad.yaml:8:17: initial.stage_shares: shares sum to 0.8; expected a sum of 1"},
    {"stage shares with an unknown stage",
     kMinimal + "initial:\n  stage_shares: {unaware: 0.5, awar: 0.5}\n",
     "bad.yaml:8:32: initial.stage_shares.awar: unknown key; did you mean aware?"},
    {"churn for a stage without churn", kMinimal + "funnel:\n  churn_per_month: {unaware: 0.1}\n",
     "bad.yaml:8:21: funnel.churn_per_month.unaware: unknown key; expected one of evaluator, "
     "beginner, regular, champion"},
    {"a key that is not a name", kMinimal + "[a, b]: 1\n",
     "bad.yaml:7:1: a key must be a plain name; expected name: value"},
};

}  // namespace

TEST_CASE("loader: each malformed scenario is refused with its exact first diagnostic",
          "[loader]") {
  REQUIRE(kBadCases.size() >= 30);
  for (const BadCase& c : kBadCases) {
    INFO(c.label);
    CHECK(first_diagnostic(c.yaml) == c.first);
  }
}

TEST_CASE("loader: the minimal scenario used by the malformed cases is itself valid", "[loader]") {
  // Otherwise every case above could be failing for the same unrelated reason.
  CHECK(flywheel::loader_test::diagnostics_of(kMinimal).empty());
}

TEST_CASE("loader: every problem is reported at once, in file order, then the command line",
          "[loader]") {
  const std::string yaml =
      "name: t\n"
      "simulation:\n"
      "  months: 0\n"    // 3: out of range
      "  stepp: week\n"  // 4: unknown key
      "market:\n"
      "  people: -5\n"  // 6: negative
      "  segments:\n"
      "    - {name: a, share: 0.5}\n"  // sum checked at the list: 8:7
      "    - {name: b, share: 0.6}\n"
      "funnel:\n"
      "  signup_per_month: 2\n";  // 11: above 1
  const std::vector<std::string> got = flywheel::loader_test::diagnostics_of(
      yaml, {flywheel::Override{"funnel.forget_per_month", "x"}});
  const std::vector<std::string> expected = {
      "bad.yaml:3:11: simulation.months: 0 is below 1; expected an integer number of months in "
      "[1, 600]",
      "bad.yaml:4:3: simulation.stepp: unknown key; did you mean step?",
      "bad.yaml:6:11: market.people: -5 is negative; expected an integer number of people in "
      "[1, 2000000000]",
      "bad.yaml:8:5: market.segments: shares sum to 1.1; expected a sum of 1",
      "bad.yaml:11:21: funnel.signup_per_month: 2 is above 1; expected a probability in [0, 1]",
      "--set:1:25: funnel.forget_per_month: \"x\" is not a number; expected a probability in "
      "[0, 1]",
  };
  CHECK(got == expected);
}

TEST_CASE("loader: the InputError message is every diagnostic, one per line", "[loader]") {
  try {
    flywheel::load_scenario_text("name: t\nmarket: {people: 0, segments: []}\n", "x.yaml");
    FAIL("no error");
  } catch (const flywheel::InputError& error) {
    CHECK(std::string(error.what()) ==
          "x.yaml:2:18: market.people: 0 is below 1; expected an integer number of people in "
          "[1, 2000000000]\n"
          "x.yaml:2:31: market.segments: an empty list; expected a non-empty list of segments");
  }
}

TEST_CASE("loader: pathological input is refused, not crashed on", "[loader]") {
  SECTION("ten thousand levels of nesting") {
    const std::string yaml = "name: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
    CHECK(first_diagnostic(yaml).find("nesting deeper than 64 levels; expected at most 64 levels "
                                      "of maps and lists") != std::string::npos);
  }
  SECTION("nesting just past the limit is located at the first level too deep") {
    const std::string yaml = "name: " + std::string(100, '[') + std::string(100, ']') + "\n";
    std::string path = "name";
    for (int i = 0; i < 64; ++i) path += "[0]";
    CHECK(first_diagnostic(yaml) == "bad.yaml:1:71: " + path +
                                        ": nesting deeper than 64 levels; expected at most 64 "
                                        "levels of maps and lists");
  }
  SECTION("an alias inside its own anchor") {
    CHECK(first_diagnostic("name: &a [*a]\n").find("nesting deeper than 64 levels") !=
          std::string::npos);
  }
  SECTION("an alias bomb") {
    const std::string yaml =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    CHECK(first_diagnostic(yaml).find(": more than 20000 values (aliases expanded); expected a "
                                      "scenario of ordinary size") != std::string::npos);
  }
  SECTION("a file over the size limit") {
    const std::string yaml = kMinimal + "# " + std::string(flywheel::kMaxScenarioBytes, 'x');
    CHECK(first_diagnostic(yaml) ==
          "bad.yaml: larger than 1048576 bytes; expected a scenario file of at most 1 MiB");
  }
  SECTION("an unterminated flow map") {
    CHECK(first_diagnostic("name: {a: [}\n") ==
          "bad.yaml:1:12: invalid YAML: illegal flow end; expected well-formed "
          "YAML (check indentation, colons, brackets and quotes)");
  }
}

TEST_CASE("loader: accepted spellings: BOM, integral numbers, YAML 1.2 floats, empty blocks",
          "[loader]") {
  const flywheel::Scenario s = flywheel::load_scenario_text(
      "\xEF\xBB\xBF" + kMinimal +
          "simulation: {months: 48.0, replicates: 1e3, seed: +7}\n"
          "funnel:\n"
          "strategy: {marketing: {spend_usd_per_month: 2.5E+3, cost_per_aware_usd: .5}}\n",
      "ok.yaml");
  CHECK(s.simulation.months == 48);
  CHECK(s.simulation.replicates == 1000);
  CHECK(s.simulation.seed == 7u);
  CHECK(s.strategy.marketing.spend_usd_per_month == flywheel::Schedule::constant(2500.0));
  CHECK(s.strategy.marketing.cost_per_aware_usd == 0.5);
  CHECK(s.funnel == flywheel::FunnelSpec{});
  CHECK(s.source_file == "ok.yaml");
  // The BOM must not shift columns on line 1.
  CHECK(first_diagnostic("\xEF\xBB\xBFname: ''\n" + kMinimal.substr(kMinimal.find('\n') + 1)) ==
        "bad.yaml:1:7: name: empty string; expected a non-empty string");
}

TEST_CASE("loader: files that cannot be read", "[loader]") {
  flywheel::loader_test::TempDir dir("unreadable");
  const std::string missing = (dir.path() / "nope.yaml").string();
  try {
    flywheel::load_scenario(missing);
    FAIL("no error");
  } catch (const flywheel::InputError& error) {
    REQUIRE(error.diagnostics().size() == 1);
    CHECK(error.diagnostics()[0].to_string() ==
          missing + ": cannot read: No such file or directory");
  }
  try {
    flywheel::load_scenario(dir.path().string());
    FAIL("no error");
  } catch (const flywheel::InputError& error) {
    CHECK(error.diagnostics()[0].to_string() ==
          dir.path().string() + ": cannot read: Is a directory");
  }
}
