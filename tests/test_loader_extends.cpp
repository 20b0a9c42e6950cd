// `extends:` chains: the base is loaded first, the child merged over it (maps key by key,
// scalars and lists replaced), paths relative to the extending file, cycles and missing bases
// refused at the extends key.
#include "loader_test_support.hpp"

#include <catch2/catch.hpp>

using flywheel::loader_test::TempDir;

namespace {

const std::string kBase =
    "name: base\n"
    "description: the base\n"
    "simulation: {months: 24, replicates: 10}\n"
    "market:\n"
    "  people: 5000\n"
    "  segments:\n"
    "    - {name: smb, share: 0.6, price_usd_per_seat_month: 10}\n"
    "    - {name: mid, share: 0.4, price_usd_per_seat_month: 20}\n"
    "funnel:\n"
    "  signup_per_month: 0.1\n"
    "  forget_per_month: 0.2\n"
    "  churn_per_month: {beginner: 0.3, regular: 0.05}\n"
    "acquisition: {word_of_mouth_sources: [aware, regular]}\n";

std::string first_error_of_file(const std::string& file) {
  try {
    flywheel::load_scenario(file);
  } catch (const flywheel::InputError& error) {
    return error.diagnostics().front().to_string();
  }
  return "(no diagnostic)";
}

}  // namespace

TEST_CASE("loader: a child overrides and deep-merges over its base", "[loader][extends]") {
  TempDir dir("extends_merge");
  dir.write("base.yaml", kBase);
  const std::string child = dir.write("child.yaml",
                                      "extends: base.yaml\n"
                                      "name: child\n"
                                      "simulation: {months: 36}\n"
                                      "funnel:\n"
                                      "  signup_per_month: 0.15\n"
                                      "  churn_per_month: {regular: 0.01}\n"
                                      "acquisition: {word_of_mouth_sources: [champion]}\n");
  const flywheel::Scenario s = flywheel::load_scenario(child);
  CHECK(s.name == "child");
  CHECK(s.description == "the base");    // not given by the child: inherited
  CHECK(s.simulation.months == 36);      // replaced
  CHECK(s.simulation.replicates == 10);  // sibling key kept by the map merge
  CHECK(s.funnel.signup_per_month == 0.15);
  CHECK(s.funnel.forget_per_month == 0.2);
  CHECK(s.funnel.churn_per_month[3] == 0.3);   // beginner, from the base
  CHECK(s.funnel.churn_per_month[4] == 0.01);  // regular, from the child
  // Lists replace rather than merge: only champion remains.
  CHECK(s.acquisition.word_of_mouth_sources ==
        std::array<bool, 7>{false, false, false, false, false, true, false});
  REQUIRE(s.market.segments.size() == 2);
  CHECK(s.market.segments[1].price_usd_per_seat_month == 20);
  CHECK(s.source_file == child);
}

TEST_CASE("loader: extends paths are relative to the extending file's folder",
          "[loader][extends]") {
  TempDir dir("extends_relative");
  dir.write("shared/base.yaml", kBase);
  dir.write("shared/middle.yaml", "extends: base.yaml\nname: middle\nsimulation: {seed: 9}\n");
  const std::string leaf =
      dir.write("teams/a/leaf.yaml", "extends: ../../shared/middle.yaml\nname: leaf\n");
  const flywheel::Scenario s = flywheel::load_scenario(leaf);
  CHECK(s.name == "leaf");
  CHECK(s.simulation.seed == 9u);
  CHECK(s.simulation.months == 24);
  // Text in memory resolves extends against base_dir.
  const flywheel::Scenario t = flywheel::load_scenario_text(
      "extends: shared/base.yaml\nname: mem\n", "mem.yaml", {}, dir.path().string());
  CHECK(t.name == "mem");
  CHECK(t.market.people == 5000);
}

TEST_CASE("loader: an extends cycle is refused with the chain", "[loader][extends]") {
  TempDir dir("extends_cycle");
  const std::string a = dir.write("a.yaml", "name: a\nextends: b.yaml\n");
  dir.write("b.yaml", "extends: a.yaml\nname: b\n");
  const std::string folder = dir.path().string();
  CHECK(first_error_of_file(a) == folder + "/b.yaml:1:10: extends: extends cycle: " + a + " -> " +
                                      folder + "/b.yaml -> " + folder +
                                      "/a.yaml; expected a chain of at most 32 files that never "
                                      "comes back");
  const std::string self = dir.write("self.yaml", "extends: ./self.yaml\nname: s\n");
  CHECK(first_error_of_file(self).find("extends: extends cycle: ") != std::string::npos);
}

TEST_CASE("loader: a missing base is reported at the extends key", "[loader][extends]") {
  TempDir dir("extends_missing");
  const std::string child = dir.write("child.yaml", "name: c\n\nextends: nowhere.yaml\n");
  CHECK(first_error_of_file(child) ==
        child + ":3:10: extends: cannot read " + dir.path().string() +
            "/nowhere.yaml: No such file or directory; expected a path to a scenario file, "
            "relative to this file's folder");
  const std::string bad_value = dir.write("list.yaml", "name: c\nextends: [a.yaml]\n");
  CHECK(first_error_of_file(bad_value) ==
        bad_value +
            ":2:10: extends: a list is not a path; expected a path to a scenario file, "
            "relative to this file's folder");
}

TEST_CASE("loader: problems in a base are located in the base file", "[loader][extends]") {
  TempDir dir("extends_base_errors");
  const std::string base = dir.write("base.yaml", kBase + "strategy: {plg: {min_seats: 0}}\n");
  const std::string child =
      dir.write("child.yaml", "extends: base.yaml\nname: c\nfunnel: {forget_per_month: 7}\n");
  try {
    flywheel::load_scenario(child);
    FAIL("no error");
  } catch (const flywheel::InputError& error) {
    std::vector<std::string> got;
    for (const auto& d : error.diagnostics()) got.push_back(d.to_string());
    // The file named on the command line first, then its base.
    const std::vector<std::string> expected = {
        child + ":3:28: funnel.forget_per_month: 7 is above 1; expected a probability in [0, 1]",
        base + ":14:29: strategy.plg.min_seats: 0 is below 1; expected an integer >= 1",
    };
    CHECK(got == expected);
  }
  const std::string broken_base = dir.write("broken.yaml", "name: [\n");
  const std::string child2 = dir.write("child2.yaml", "extends: broken.yaml\nname: c\n");
  CHECK(first_error_of_file(child2).starts_with(broken_base + ":2:1: invalid YAML: "));
}
