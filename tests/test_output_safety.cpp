// Output safety (issue #7): `run`, `compare`, `sweep` and `merge` never replace a file that
// exists without being told to (--force, --force-new), write only inside the chosen folder
// whatever a scenario is named, and resolve the files a scenario names from its own folder.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using flywheel::test::entries;
using flywheel::test::read_text;
namespace fs = std::filesystem;

namespace {

std::string tiny(const std::string& name) { return flywheel::test::tiny_scenario(name, 2); }

constexpr const char* kSpec = R"(base: tiny.yaml
replicates: 1
design: {method: random, samples: 2, seed: 1}
uncertainties:
  funnel.signup_per_month: {range: [0.3, 0.6]}
outputs: [arr_usd@3]
)";

// A workspace with tiny.yaml and spec.yaml; the folder around work/ must stay as it was.
struct Sandbox : flywheel::test::CliWorkspace {
  Sandbox() : CliWorkspace("safety") {
    write("tiny.yaml", tiny("tiny"));
    write("spec.yaml", kSpec);
  }
};

}  // namespace

TEST_CASE("output safety: a scenario's name cannot lead its default folder out of out/",
          "[cli][safety]") {
  for (const std::string& name : {std::string("../../escape"), std::string("/tmp/abs"),
                                  std::string(".."), std::string("a/../../b")}) {
    const Sandbox box;
    box.write("named.yaml", tiny(name));
    const auto result = box.run("run named.yaml --no-report --quiet");
    INFO(name << "\n" << result.err);
    REQUIRE(result.code == 0);
    CHECK(entries(box.work()) ==
          std::vector<std::string>{"named.yaml", "out", "spec.yaml", "tiny.yaml"});
    const std::vector<std::string> folders = entries(box.work() / "out");
    REQUIRE(folders.size() == 1);
    CHECK(folders[0].find('/') == std::string::npos);
    CHECK(folders[0] != "..");
    CHECK(fs::exists(box.work() / "out" / folders[0] / "summary.json"));
    // Beside work/: only the captured stdout and stderr of the CLI.
    CHECK(entries(box.root().path()) == std::vector<std::string>{"work", "work.err", "work.out"});
  }
}

TEST_CASE("output safety: run and compare replace no existing output without --force",
          "[cli][safety]") {
  const Sandbox box;
  // A folder that holds one of run's file names but no earlier run (no summary.json).
  box.write("o/timeseries.csv", "someone else's\n");
  const auto refused = box.run("run tiny.yaml --out o --quiet");
  CHECK(refused.code == 2);
  CHECK(flywheel::test::contains(refused.err, "o already holds timeseries.csv"));
  CHECK(read_text(box.work() / "o" / "timeseries.csv") == "someone else's\n");
  CHECK(entries(box.work() / "o") == std::vector<std::string>{"timeseries.csv"});
  REQUIRE(box.run("run tiny.yaml --out o --force --quiet").code == 0);
  CHECK(read_text(box.work() / "o" / "timeseries.csv") != "someone else's\n");

  // compare: an earlier comparison is kept, then replaced with --force.
  box.write("b.yaml", tiny("b"));
  REQUIRE(box.run("compare tiny.yaml b.yaml --out c --no-report --quiet").code == 0);
  const std::string first = read_text(box.work() / "c" / "compare.json");
  const auto again = box.run("compare tiny.yaml b.yaml --out c --seed 9 --quiet");
  CHECK(again.code == 2);
  CHECK(flywheel::test::contains(again.err, "--force"));
  CHECK(read_text(box.work() / "c" / "compare.json") == first);
  CHECK_FALSE(fs::exists(box.work() / "c" / "report.html"));
  CHECK(box.run("compare tiny.yaml b.yaml --out c --seed 9 --force --quiet").code == 0);
  CHECK(read_text(box.work() / "c" / "compare.json") != first);
}

TEST_CASE("output safety: sweep and merge write into no folder that is not this sweep's",
          "[cli][safety][sweep]") {
  const Sandbox box;
  box.write("theirs/results.csv", "someone else's\n");
  const auto refused = box.run("sweep spec.yaml --out theirs --quiet");
  CHECK(refused.code == 2);
  CHECK(flywheel::test::contains(refused.err, "holds results.csv but no sweep.json"));
  CHECK(entries(box.work() / "theirs") == std::vector<std::string>{"results.csv"});

  REQUIRE(box.run("sweep spec.yaml --out s --quiet").code == 0);
  const auto merge_over = box.run("merge s --out theirs");
  CHECK(merge_over.code == 2);
  CHECK(read_text(box.work() / "theirs" / "results.csv") == "someone else's\n");
  REQUIRE(box.run("merge s --out m").code == 0);
  CHECK(box.run("merge s --out m").code == 0);  // again into its own merge: allowed

  // Another sweep's merge is refused too.
  box.write("other.yaml", std::string(kSpec) + "seed: 4\n");
  REQUIRE(box.run("sweep other.yaml --out o2 --quiet").code == 0);
  CHECK(box.run("merge o2 --out m").code == 2);
  CHECK(box.run("sweep spec.yaml --out theirs --force-new --quiet").code == 0);
}

TEST_CASE("output safety: extends and edge_list are found from the scenario's folder",
          "[cli][safety]") {
  const Sandbox box;
  box.write("deep/child.yaml",
                 "extends: base/tiny.yaml\nname: child\n"
                 "network: {model: edge_list, edge_list: ties.csv}\n");
  box.write("deep/base/tiny.yaml", tiny("base"));
  box.write("deep/ties.csv", "0,1\n1,2\n");
  const auto ok = box.run("validate deep/child.yaml");
  INFO(ok.err);
  CHECK(ok.code == 0);
  // The same names beside the working folder do not count.
  box.write("child.yaml", read_text(box.work() / "deep" / "child.yaml"));
  const auto missing = box.run("validate child.yaml");
  CHECK(missing.code == 2);
  CHECK(missing.err.rfind("child.yaml:1:10: extends: cannot read base/tiny.yaml:", 0) == 0);
}
