// Dead-scenario warnings on the command line: `validate`, `run` (even with --quiet) and
// `compare` print them on stderr as "flywheel: warning: file:line:col: path: message", the exit
// code stays 0, and summary.json lists them.
#include "cli_run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using flywheel::test::contains;
using flywheel::test::read_text;

namespace {

const char* kLine =
    "flywheel: warning: far.yaml:10:52: targets[0].at_least: this target cannot be reached: "
    "arr_usd at least $1000000000 is above $24000";

// tiny.yaml (200 people at $10: at most $24,000 ARR) with an ARR target of $1B on line 10.
struct WarningSandbox : flywheel::test::CliWorkspace {
  WarningSandbox() : CliWorkspace("cli-warnings") {
    write("tiny.yaml", flywheel::test::tiny_scenario());
    write("far.yaml", flywheel::test::tiny_scenario("far") +
                          "targets: [{metric: arr_usd, by_month: 3, at_least: 1e9}]\n");
  }
};

}  // namespace

TEST_CASE("cli warnings: validate prints them and still exits 0", "[cli][warnings]") {
  const WarningSandbox box;
  const flywheel::test::CliResult good = box.run("validate tiny.yaml");
  CHECK(good.code == 0);
  CHECK(good.err.empty());
  const flywheel::test::CliResult far = box.run("validate far.yaml");
  CHECK(far.code == 0);
  CHECK(contains(far.out, "far.yaml: ok"));
  CHECK(far.err.find(kLine) == 0);
}

TEST_CASE("cli warnings: run prints them even with --quiet and writes them to summary.json",
          "[cli][warnings]") {
  const WarningSandbox box;
  const flywheel::test::CliResult run = box.run("run far.yaml --quiet --no-report --out o");
  CHECK(run.code == 0);
  CHECK(run.err.find(kLine) == 0);
  const nlohmann::json summary = nlohmann::json::parse(read_text(box.work() / "o/summary.json"));
  REQUIRE(summary["warnings"].size() == 1);
  CHECK(summary["warnings"][0]["path"] == "targets[0].at_least");
  CHECK(summary["warnings"][0]["message"].get<std::string>().find("cannot be reached") !=
        std::string::npos);
  const flywheel::test::CliResult tiny = box.run("run tiny.yaml --quiet --no-report --out t");
  CHECK(tiny.err.empty());
  CHECK(nlohmann::json::parse(read_text(box.work() / "t/summary.json"))["warnings"].empty());
}

TEST_CASE("cli warnings: compare prints those of A and of B", "[cli][warnings]") {
  const WarningSandbox box;
  const flywheel::test::CliResult r =
      box.run("compare tiny.yaml far.yaml --quiet --no-report --out c");
  CHECK(r.code == 0);
  CHECK(r.err.find(kLine) == 0);
}
