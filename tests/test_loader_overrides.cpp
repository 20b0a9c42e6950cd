// `--set key.path=value`: applied after the extends merge, validated by the same schema, and
// located as --set:ORDINAL:COLUMN.
#include "loader_test_support.hpp"

#include <catch2/catch.hpp>

using flywheel::Override;
using flywheel::loader_test::diagnostics_of;
using flywheel::loader_test::first_diagnostic;
using flywheel::loader_test::kMinimal;

TEST_CASE("loader: parse_override splits at the first '='", "[loader][set]") {
  const Override o = flywheel::parse_override("strategy.plg.min_seats=a=b");
  CHECK(o.path == "strategy.plg.min_seats");
  CHECK(o.value == "a=b");
  const Override empty_value = flywheel::parse_override("description=");
  CHECK(empty_value.path == "description");
  CHECK(empty_value.value.empty());
}

TEST_CASE("loader: a malformed override is an InputError from parse_override", "[loader][set]") {
  const auto message_of = [](const std::string& text) {
    try {
      flywheel::parse_override(text);
    } catch (const flywheel::InputError& error) {
      return std::string(error.what());
    }
    return std::string("(no error)");
  };
  CHECK(message_of("simulation.months") ==
        "<command line>: --set \"simulation.months\" has no '='; expected key.path=value, e.g. "
        "simulation.months=48");
  CHECK(message_of("=3") ==
        "<command line>: --set \"=3\" has no key path; expected key.path=value, e.g. "
        "simulation.months=48");
}

TEST_CASE("loader: valid overrides change values, add keys and address list items",
          "[loader][set]") {
  const std::vector<Override> overrides = {
      flywheel::parse_override("simulation.months=48"),
      flywheel::parse_override("market.segments[0].share=1.0"),
      flywheel::parse_override("market.segments[0].price_usd_per_seat_month=12.5"),
      flywheel::parse_override("strategy.plg.pql_conversion_per_month=[{from_month: 0, value: "
                               "0.05}, {from_month: 12, value: 0.1}]"),
      flywheel::parse_override("acquisition.word_of_mouth_sources=[aware]"),
      flywheel::parse_override("simulation.months=60"),  // the later override wins
  };
  const flywheel::Scenario s =
      flywheel::load_scenario_text(kMinimal + "simulation: {months: 12}\n", "ok.yaml", overrides);
  CHECK(s.simulation.months == 60);
  CHECK(s.market.segments[0].price_usd_per_seat_month == 12.5);
  REQUIRE(s.strategy.plg.pql_conversion_per_month.pieces.size() == 2);
  CHECK(s.strategy.plg.pql_conversion_per_month.at(11) == 0.05);
  CHECK(s.strategy.plg.pql_conversion_per_month.at(12) == 0.1);
  CHECK(s.acquisition.word_of_mouth_sources ==
        std::array<bool, 7>{false, true, false, false, false, false, false});
}

TEST_CASE("loader: an override can empty a list, e.g. to shorten a run that has targets",
          "[loader][set]") {
  const std::string yaml = kMinimal + "targets: [{metric: arr_usd, at_least: 1, by_month: 36}]\n";
  CHECK(first_diagnostic(yaml, {flywheel::parse_override("simulation.months=12")}) ==
        "bad.yaml:7:52: targets[0].by_month: 36 is after the horizon (simulation.months 12); "
        "expected an integer month in [1, 12]");
  const flywheel::Scenario s = flywheel::load_scenario_text(
      yaml, "x.yaml",
      {flywheel::parse_override("simulation.months=12"), flywheel::parse_override("targets=[]")});
  CHECK(s.simulation.months == 12);
  CHECK(s.targets.empty());
}

TEST_CASE("loader: a bad override value is located in the override text", "[loader][set]") {
  CHECK(first_diagnostic(kMinimal,
                         {flywheel::parse_override("strategy.plg.pql_min_active_users=abc")}) ==
        "--set:1:35: strategy.plg.pql_min_active_users: \"abc\" is not an integer; expected an "
        "integer >= 1");
  // The ordinal counts overrides; the column points inside a flow collection.
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("simulation.seed=3"),
                                    flywheel::parse_override(
                                        "strategy.marketing.spend_usd_per_month=[{from_month: 0, "
                                        "value: -4}]")}) ==
        "--set:2:64: strategy.marketing.spend_usd_per_month[0].value: -4 is negative; expected "
        "an amount in USD >= 0");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("simulation.months=")}) ==
        "--set:1:19: simulation.months: no value; expected an integer number of months in "
        "[1, 600]");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("name=[a, b")}) ==
        "--set:1:6: invalid YAML: end of sequence flow not found; expected well-formed YAML "
        "(check indentation, colons, brackets and quotes)");
}

TEST_CASE("loader: an override of an unknown key gets a suggestion at the key", "[loader][set]") {
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("funnel.signup_per_mont=0.1")}) ==
        "--set:1:8: funnel.signup_per_mont: unknown key; did you mean signup_per_month?");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("strategy.plgg.min_seats=2")}) ==
        "--set:1:10: strategy.plgg: unknown key; did you mean plg?");
}

TEST_CASE("loader: override paths that lead nowhere", "[loader][set]") {
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("market.segments[3].share=0.5")}) ==
        "--set:1:16: market.segments[3].share: index 3 is out of range; expected an index from 0 "
        "to 0");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("name.first=x")}) ==
        "--set:1:6: name.first: cannot set key first inside \"t\"; expected a key path through "
        "maps and lists");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("funnel..x=1")}) ==
        "--set:1:8: funnel..x: empty key in the path; expected keys joined by dots, e.g. "
        "funnel.signup_per_month");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("extends=other.yaml")}) ==
        "--set:1:1: extends: extends cannot be overridden; expected a scenario key such as "
        "simulation.months (edit the file to change its base)");
  CHECK(first_diagnostic(kMinimal, {flywheel::parse_override("market.segments[x]=1")}) ==
        "--set:1:16: market.segments[x]: malformed list index; expected [N] with N a list "
        "position from 0");
}

TEST_CASE("loader: overrides apply after the extends merge and are validated like the file",
          "[loader][set]") {
  // An override can fix what the file got wrong: validation sees the merged result only.
  const flywheel::Scenario s =
      flywheel::load_scenario_text(kMinimal + "funnel: {signup_per_month: 3}\n", "x.yaml",
                                   {flywheel::parse_override("funnel.signup_per_month=0.3")});
  CHECK(s.funnel.signup_per_month == 0.3);
  const std::vector<std::string> all =
      diagnostics_of(kMinimal + "funnel: {signup_per_month: 3}\n",
                     {flywheel::parse_override("funnel.forget_per_month=-1")});
  REQUIRE(all.size() == 2);
  CHECK(all[0].starts_with("bad.yaml:7:28: funnel.signup_per_month: 3 is above 1"));
  CHECK(all[1].starts_with("--set:1:25: funnel.forget_per_month: -1 is negative"));
}
