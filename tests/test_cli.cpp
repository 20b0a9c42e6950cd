// The `flywheel` program end to end: exit codes, messages, and that bad input writes nothing.
// Runs the built binary (FLYWHEEL_CLI) in a fresh folder per test.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/common/version.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using flywheel::test::CliResult;
using flywheel::test::contains;
using flywheel::test::entries;
using flywheel::test::read_text;
using flywheel::test::write_text;
namespace fs = std::filesystem;

namespace {

// A workspace with tiny.yaml (tiny_scenario: 4 replicates of 3 months).
struct CliSandbox : flywheel::test::CliWorkspace {
  CliSandbox() : CliWorkspace("cli") { write("tiny.yaml", flywheel::test::tiny_scenario()); }
};

// tiny.yaml with an unknown top-level key on line 10.
std::string tiny_with_unknown_key() {
  return flywheel::test::tiny_scenario() + "colour: blue\n";
}

}  // namespace

TEST_CASE("cli: --version prints the version and exits 0", "[cli]") {
  const CliResult r = CliSandbox().run("--version");
  CHECK(r.code == 0);
  CHECK(r.out == std::string("flywheel ") + flywheel::kVersion + "\n");
}

TEST_CASE("cli: --help lists the commands and the exit codes", "[cli]") {
  const CliResult r = CliSandbox().run("--help");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "run"));
  CHECK(contains(r.out, "validate"));
  CHECK(contains(r.out, "params"));
  CHECK(contains(r.out, "2 bad input"));
  const CliResult run_help = CliSandbox().run("run --help");
  CHECK(run_help.code == 0);
  CHECK(contains(run_help.out, "--quiet"));
  CHECK(contains(run_help.out, "summary table"));
}

TEST_CASE("cli: argument errors exit 2 with CLI11's message", "[cli]") {
  const CliSandbox box;
  const CliResult unknown = box.run("run tiny.yaml --bogus");
  CHECK(unknown.code == 2);
  CHECK(contains(unknown.err, "--bogus"));
  const CliResult no_file = box.run("run");
  CHECK(no_file.code == 2);
  CHECK(contains(no_file.err, "SCENARIO"));
  CHECK(box.run("").code == 2);  // no command
  CHECK(box.run("run tiny.yaml --threads -1").code == 2);
  CHECK_FALSE(fs::exists(box.work() / "out"));
}

TEST_CASE("cli: validate a good scenario prints its overview", "[cli]") {
  const CliSandbox box;
  const CliResult r = box.run("validate tiny.yaml");
  CHECK(r.code == 0);
  CHECK(r.out == "tiny.yaml: ok (tiny, 3 months, month steps, 200 people, 1 segments)\n");
  const CliResult set = box.run("validate tiny.yaml --set simulation.months=5");
  CHECK(set.code == 0);
  CHECK(contains(set.out, "(tiny, 5 months,"));
}

TEST_CASE("cli: validate a malformed scenario prints file:line:col and exits 2", "[cli]") {
  const CliSandbox box;
  write_text(box.work() / "bad.yaml", tiny_with_unknown_key());
  const CliResult unknown_key = box.run("validate bad.yaml");
  CHECK(unknown_key.code == 2);
  CHECK(contains(unknown_key.err, "bad.yaml:10:1:"));
  CHECK(contains(unknown_key.err, "colour"));
  CHECK_FALSE(contains(unknown_key.out, "ok"));

  write_text(box.work() / "broken.yaml", "name: tiny\nsimulation: {months: 3\n");
  const CliResult not_yaml = box.run("validate broken.yaml");
  CHECK(not_yaml.code == 2);
  CHECK(std::regex_search(not_yaml.err, std::regex(R"(broken\.yaml:\d+:\d+: )")));
}

TEST_CASE("cli: a malformed --set is bad input from the command line", "[cli]") {
  const CliResult r = CliSandbox().run("validate tiny.yaml --set nonsense");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "<command line>"));
}

TEST_CASE("cli: run of a bad scenario exits 2 and writes nothing", "[cli]") {
  const CliSandbox box;
  write_text(box.work() / "bad.yaml", tiny_with_unknown_key());
  const CliResult r = box.run("run bad.yaml --out o");
  CHECK(r.code == 2);
  CHECK(contains(r.err, "bad.yaml:10:1:"));
  const CliResult default_out = box.run("run bad.yaml");
  CHECK(default_out.code == 2);
  const CliResult bad_replicates = box.run("run tiny.yaml --replicates abc --out o");
  CHECK(bad_replicates.code == 2);
  CHECK(contains(bad_replicates.err, "simulation.replicates"));
  const CliResult missing = box.run("run nowhere.yaml --out o");
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "nowhere.yaml"));
  CHECK(entries(box.work()) == std::vector<std::string>{"bad.yaml", "tiny.yaml"});
}

TEST_CASE("cli: run writes the folder and prints the summary table", "[cli]") {
  const CliSandbox box;
  const CliResult r = box.run("run tiny.yaml --out o --quiet");
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, "tiny: 4 replicates of 3 months, seed 3"));
  CHECK(contains(r.out, "ARR p50"));
  CHECK(std::regex_search(r.out, std::regex(R"(\n\s*3\s+\$)")));  // the month-3 row
  CHECK(contains(r.out, "output: o\n"));
  CHECK(entries(box.work() / "o") ==
        std::vector<std::string>{"cohorts.csv", "expected.csv", "report.html", "summary.json",
                                 "timeseries.csv"});
  const auto summary = nlohmann::json::parse(read_text(box.work() / "o" / "summary.json"));
  CHECK(summary["seed"] == 3);
  CHECK(summary["replicates"] == 4);
  CHECK(summary["months"] == 3);
  CHECK(summary["scenario"]["file"] == "tiny.yaml");
}

TEST_CASE("cli: run defaults to out/<name>; --replicates and --seed override", "[cli]") {
  const CliSandbox box;
  const CliResult r = box.run("run tiny.yaml --replicates 2 --seed 9 --replicates-csv");
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "running tiny"));  // informational line without --quiet
  CHECK_FALSE(contains(r.err, "\r"));      // no progress: stderr is not a terminal
  const fs::path out = box.work() / "out" / "tiny";
  CHECK(entries(out) == std::vector<std::string>{"cohorts.csv", "expected.csv", "replicates.csv",
                                                 "report.html", "summary.json", "timeseries.csv"});
  const auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
  CHECK(summary["seed"] == 9);
  CHECK(summary["replicates"] == 2);
  CHECK(summary["scenario"]["resolved"]["simulation"]["seed"] == 9);
}

TEST_CASE("cli: run refuses to replace an earlier run without --force", "[cli]") {
  const CliSandbox box;
  REQUIRE(box.run("run tiny.yaml --out o --quiet").code == 0);
  const std::string first = read_text(box.work() / "o" / "summary.json");
  const CliResult again = box.run("run tiny.yaml --out o --quiet --seed 5");
  CHECK(again.code == 2);
  CHECK(contains(again.err, "--force"));
  CHECK(read_text(box.work() / "o" / "summary.json") == first);
  const CliResult forced = box.run("run tiny.yaml --out o --quiet --seed 5 --force");
  CHECK(forced.code == 0);
  CHECK(nlohmann::json::parse(read_text(box.work() / "o" / "summary.json"))["seed"] == 5);
}

TEST_CASE("cli: outputs are byte-identical across thread counts, and change with the seed",
          "[cli]") {
  const CliSandbox box;
  REQUIRE(box.run("run tiny.yaml --out t1 --threads 1 --quiet --replicates-csv").code == 0);
  REQUIRE(box.run("run tiny.yaml --out t2 --threads 2 --quiet --replicates-csv").code == 0);
  REQUIRE(box.run("run tiny.yaml --out s4 --seed 4 --quiet --replicates-csv").code == 0);
  for (const char* file :
       {"summary.json", "timeseries.csv", "replicates.csv", "cohorts.csv", "expected.csv",
        "report.html"}) {
    INFO(file);
    const std::string one = read_text(box.work() / "t1" / file);
    CHECK_FALSE(one.empty());
    CHECK(one == read_text(box.work() / "t2" / file));
  }
  CHECK(read_text(box.work() / "t1" / "replicates.csv") !=
        read_text(box.work() / "s4" / "replicates.csv"));
}

TEST_CASE("cli: params prints the parameter reference", "[cli]") {
  const CliResult r = CliSandbox().run("params");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "simulation.months"));
  CHECK(contains(r.out, "strategy.plg.pql_min_active_users"));
}
