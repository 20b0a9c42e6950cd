// The determinism contract through the real command line: the same scenario and seed give
// byte-identical output files at 1, 2, 3 and 8 threads; another seed gives other files.
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

// Runs a shipped scenario, smaller, into `out`; returns the exit code.
int run_cli(const std::string& scenario, const fs::path& out, int threads, int seed) {
  // fmt, not a chain of std::string +: GCC 12 warns falsely (-Wrestrict) on such chains.
  const std::string cmd = fmt::format(
      "{} run {} --replicates 6 --seed {} --set market.people=200000 --set simulation.months=18 "
      "--set targets=[] --threads {} --replicates-csv --quiet --out {} > /dev/null",
      FLYWHEEL_CLI, flywheel::test::source_path("scenarios/" + scenario), seed, threads,
      out.string());
  return std::system(cmd.c_str());
}

}  // namespace

// [heavy]: 30 runs at 200,000 people, left out of the sanitizer suite (CMakeLists.txt).
TEST_CASE("output files are byte-identical at 1, 2, 3 and 8 threads",
          "[determinism][cli][heavy]") {
  // Between them these turn every mechanism on: PLG with trial, tiers and sales assist, SLG
  // contracts without a free tier, the community with all its programs, referrals, and word of
  // mouth over a small-world network.
  const std::string scenario = GENERATE(
      as<std::string>{}, "plg-freemium.yaml", "plg-trial-plus-sales.yaml", "slg-enterprise.yaml",
      "hybrid-plg-clg.yaml", "viral-referrals.yaml", "validation/small-world.yaml");
  INFO(scenario);
  const flywheel::test::TempDir root("determinism");  // private: parallel test runs never share it
  const auto fresh_dir = [&root](const std::string& name) { return root / name; };
  const fs::path reference = fresh_dir("t1");
  REQUIRE(run_cli(scenario, reference, 1, 7) == 0);
  const char* files[] = {"summary.json", "timeseries.csv", "replicates.csv"};
  for (const char* f : files) REQUIRE(fs::file_size(reference / f) > 0);
  for (int threads : {2, 3, 8}) {
    const fs::path other = fresh_dir(fmt::format("t{}", threads));
    REQUIRE(run_cli(scenario, other, threads, 7) == 0);
    for (const char* f : files) {
      INFO(f << " at " << threads << " threads");
      CHECK(flywheel::test::read_text(other / f) == flywheel::test::read_text(reference / f));
    }
    fs::remove_all(other);
  }
  const fs::path reseeded = fresh_dir("seed8");
  REQUIRE(run_cli(scenario, reseeded, 2, 8) == 0);
  CHECK(flywheel::test::read_text(reseeded / "timeseries.csv") !=
        flywheel::test::read_text(reference / "timeseries.csv"));
  fs::remove_all(reseeded);
  fs::remove_all(reference);
}
