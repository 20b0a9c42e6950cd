// Golden outputs: a shipped scenario, run small through the command line, must reproduce its
// recorded timeseries.csv byte for byte. Any change of results shows up here; when it is
// intended, tools/update-golden.sh rewrites the file and the commit says why.
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>

namespace {
// Keep in step with tools/update-golden.sh.
constexpr const char* kGoldenArgs =
    "--replicates 4 --seed 3 --set simulation.months=12 --set market.people=100000 "
    "--set targets=[] --quiet";
}  // namespace

TEST_CASE("plg-freemium reproduces its golden timeseries", "[golden][cli]") {
  const flywheel::test::TempDir dir("golden");
  const std::string cmd = fmt::format("{} run {} {} --out {} > /dev/null", FLYWHEEL_CLI,
                                      flywheel::test::source_path("scenarios/plg-freemium.yaml"),
                                      kGoldenArgs, (dir / "run").string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string golden = flywheel::test::read_text(
      flywheel::test::source_path("tests/golden/plg-freemium.timeseries.csv"));
  REQUIRE(golden.size() > 1000);
  INFO("results changed; if intended, run tools/update-golden.sh and explain in the commit");
  CHECK(flywheel::test::read_text(dir / "run" / "timeseries.csv") == golden);
}
