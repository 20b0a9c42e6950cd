// Generated references stay in step with the code that defines them.
#include "fixtures.hpp"

#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

TEST_CASE("docs/metrics.md is the generated metric reference", "[docs]") {
  std::ifstream in(flywheel::test::source_path("docs/metrics.md"));
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  INFO("regenerate with: build/flywheel metrics > docs/metrics.md");
  CHECK(ss.str() == flywheel::metrics_reference_markdown());
  CHECK(ss.str().find("| `arr_usd` | USD/year |") != std::string::npos);
}
