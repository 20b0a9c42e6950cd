// The run report's community section: the community outputs grouped by SPACES goal (support,
// product, acquisition, contribution, engagement, success) under a heading each, with the
// goals' table; absent from a run without a community.
#include "fixtures.hpp"
#include "report_data.hpp"

#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace flywheel;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::set<std::string> chart_ids(const std::string& html) {
  const nlohmann::json data = test::report_data(html);
  std::set<std::string> ids;
  for (const auto& chart : data["charts"]) ids.insert(chart["id"]);
  return ids;
}

}  // namespace

TEST_CASE("run report: community outputs grouped by SPACES goal", "[report][community]") {
  Scenario s = test::small_clg(3, 5);
  s.simulation.months = 14;
  const RunResult run = run_scenario(s);
  const std::string html = run_report_html(run, summarize_run(run));
  CHECK(contains(html, "<h2>Community by SPACES</h2>"));
  // A heading per goal, in SPACES order, each opening its own row of charts.
  std::size_t at = 0;
  for (const char* goal : {"S · Support", "P · Product", "A · Acquisition", "C · Contribution",
                           "E · Engagement", "S · Success"}) {
    INFO(goal);
    const auto heading = html.find(std::string("<h3>") + goal, at);
    REQUIRE(heading != std::string::npos);
    CHECK(html.compare(html.find('\n', heading) + 1, 20, "<div class=\"charts\">") == 0);
    at = heading + 1;
  }
  const std::set<std::string> ids = chart_ids(html);
  for (const char* id : {"chart-community-support-answers", "chart-community-product-quality",
                         "chart-community-signups-community", "chart-community-content-pieces",
                         "chart-community-active-members", "chart-community-tenure-members-months",
                         "chart-community-tenure-nonmembers-months",
                         "chart-community-retention-lift",
                         "chart-community-retention-lift-stage-adjusted"}) {
    INFO(id);
    CHECK(ids.count(id) == 1);
  }
  // Every figure has its chart (no container left over from the grouping).
  std::size_t figures = 0;
  for (auto f = html.find("<figure class=\"chart"); f != std::string::npos;
       f = html.find("<figure class=\"chart", f + 1)) {
    ++figures;
  }
  CHECK(figures == test::report_data(html)["charts"].size());
  // The table names the levers of each goal.
  CHECK(contains(html, "co_creation (feedback scale"));
}

TEST_CASE("run report: no community section without a community", "[report][community]") {
  Scenario s = test::small_plg(2, 5);
  s.simulation.months = 6;
  const RunResult run = run_scenario(s);
  const std::string html = run_report_html(run, summarize_run(run));
  CHECK_FALSE(contains(html, "Community by SPACES"));
  CHECK_FALSE(contains(html, "<h3>"));
}
