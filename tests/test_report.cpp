// report.html: every chart has its container and its data in the page, the charting libraries
// are inline (nothing fetched), names cannot break out of the HTML or the <script>, and the
// folder functions and `flywheel report DIR` read what run, compare and sweep write.
// tests/browser/ checks the same pages in headless Chromium.
#include "cli_run.hpp"
#include "fixtures.hpp"
#include "temp_dir.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/compare.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>
#include "report_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

using namespace flywheel;
namespace fs = std::filesystem;

namespace {

using test::report_data;

std::vector<std::string> figure_ids(const std::string& html) {
  std::vector<std::string> ids;
  const std::regex figure(R"(<figure class="chart[^"]*" id="([^"]+)\">)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), figure);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  return ids;
}

// Every chart has a container, every container a chart, and every dataset a chart uses is in
// the page with rows in it. Returns the chart ids.
std::vector<std::string> check_charts(const std::string& html) {
  const nlohmann::json data = report_data(html);
  std::vector<std::string> ids;
  for (const auto& chart : data["charts"]) {
    ids.push_back(chart["id"]);
    INFO(chart["id"]);
    CHECK(chart["spec"].is_object());
    REQUIRE_FALSE(chart["datasets"].empty());
    for (const auto& name : chart["datasets"]) {
      INFO(name);
      REQUIRE(data["datasets"].contains(name));
      CHECK_FALSE(data["datasets"][name.get<std::string>()].empty());
    }
  }
  CHECK(figure_ids(html) == ids);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  return ids;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

RunResult small_run(const std::string& name) {
  Scenario s = test::small_plg(4, 5);
  s.name = name;
  s.simulation.months = 14;
  s.targets = {Target{"accounts_paying", 1.0, std::nullopt, 14}};
  return run_scenario(s);
}

// A sweep folder's files: two levers on a 3 x 2 grid, two outputs, Sobol indices.
SweepFiles grid_sweep(const std::string& method = "grid") {
  SweepFiles f;
  f.sweep_json = R"({"format": 1, "flywheel_version": "0.1.0", "spec_file": "grid.yaml",
    "base": "scenarios/plg-freemium.yaml", "design": {"method": ")" +
                 method + R"(", "samples": 6, "seed": 1, "levels": 4, "bootstrap": 50},
    "levers": ["strategy.marketing.spend_usd_per_month", "strategy.plg.pql_min_active_users"],
    "uncertainties": [], "policies": 6, "scenarios": 1, "points": 6, "replicates": 2, "seed": 7,
    "outputs": ["arr_usd@12", "logo_churn@mean:1-12"]})";
  f.points_csv =
      "point,policy,scenario,strategy.marketing.spend_usd_per_month,"
      "strategy.plg.pql_min_active_users\n";
  f.results_csv = "point,replicate,seed,arr_usd@12,logo_churn@mean:1-12\n";
  int point = 0;
  for (int spend : {1000, 2000, 4000}) {
    for (int pql : {2, 3}) {
      f.points_csv += fmt::format("{},{},0,{},{}\n", point, point, spend, pql);
      for (int r = 0; r < 2; ++r) {
        const std::string churn =
            point == 0 && r == 0 ? "" : fmt::format("{}", 0.01 * pql + 0.001 * r);
        f.results_csv += fmt::format("{},{},7,{},{}\n", point, r, spend * 3 + 100 * r, churn);
      }
      ++point;
    }
  }
  f.sensitivity_csv =
      "policy,output,parameter,index,estimate,lo,hi\n"
      "0,arr_usd@12,strategy.marketing.spend_usd_per_month,S1,0.7,0.6,0.8\n"
      "0,arr_usd@12,strategy.marketing.spend_usd_per_month,ST,0.75,0.65,0.85\n"
      "0,arr_usd@12,strategy.plg.pql_min_active_users,S1,0.2,,\n"
      "0,arr_usd@12,strategy.plg.pql_min_active_users,ST,0.25,0.1,0.4\n";
  return f;
}

}  // namespace

TEST_CASE("run report: every chart with its container and data; libraries inline", "[report]") {
  const RunResult run = small_run("small-plg");
  const std::string html = run_report_html(run, summarize_run(run));
  const std::vector<std::string> ids = check_charts(html);
  for (const char* id :
       {"chart-arr-usd", "chart-mrr-usd", "chart-accounts-paying", "chart-active-users",
        "chart-users-by-stage", "chart-mrr-movements", "chart-mrr-bridge", "chart-hist-arr-usd",
        "chart-hist-nrr", "chart-flow-totals", "chart-flow-months", "chart-targets"}) {
    CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
  }
  // Vega, Vega-Lite and vega-embed inline; nothing loaded from elsewhere.
  CHECK(contains(html, "t.version=\"6.4.0\""));  // vega
  CHECK(contains(html, "vegaEmbed"));
  CHECK_FALSE(contains(html, "<script src"));
  CHECK_FALSE(contains(html, "<link"));
  CHECK(count(html, "<script") == 5);  // three libraries, the data, the driver
  CHECK(contains(html, "<h1>small-plg</h1>"));
  CHECK(contains(html, "<dt>seed</dt><dd>5</dd>"));
  CHECK(contains(html, "accounts_paying ≥ 1 by month 14"));  // the target's row
  // Same run, same bytes.
  CHECK(run_report_html(run, summarize_run(run)) == html);
}

TEST_CASE("run report: a name with </script> cannot break out of the page", "[report]") {
  const std::string name = R"(x</script><script>alert("owned")</script><!--&')";
  const RunResult run = small_run(name);
  const std::string html = run_report_html(run, summarize_run(run));
  CHECK_FALSE(contains(html, "alert(\"owned\")"));
  CHECK_FALSE(contains(html, "<!--"));
  CHECK(count(html, "</script>") == 5);  // only the page's own
  CHECK(contains(html,
                 "<h1>x&lt;/script&gt;&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"
                 "&lt;!--&amp;&#39;</h1>"));
  const nlohmann::json data = report_data(html);          // the JSON still parses, the name intact
  CHECK(data.dump().find("alert") == std::string::npos);  // the name is in the HTML, not here
  check_charts(html);
}

TEST_CASE("run report: histograms from replicates.csv or a note when there are none", "[report]") {
  const RunResult run = small_run("small-plg");
  const RunSummary summary = summarize_run(run);
  auto doc = nlohmann::ordered_json::parse(summary_json_text(run, summary));
  doc.erase("final_by_replicate");  // a folder written before reports existed
  RunFiles files{doc.dump(), timeseries_csv_text(summary), "", "", ""};
  const std::string without = run_report_html(files);
  CHECK(contains(without, "no final_by_replicate and there is no replicates.csv"));
  CHECK_FALSE(contains(without, "chart-hist-arr-usd"));
  files.replicates_csv = replicates_csv_text(run, summary);
  const std::string with = run_report_html(files);
  CHECK(contains(with, "id=\"chart-hist-arr-usd\""));
  // The values are the horizon's, as summary.json's final_by_replicate would give.
  const std::string from_summary = run_report_html(run, summary);
  auto finals = [](const std::string& html) {
    std::vector<double> v;
    const nlohmann::json data = report_data(html);
    for (const auto& row : data["datasets"]["finals"]) {
      if (row["metric"] == "arr_usd") v.push_back(row["value"]);
    }
    return v;
  };
  CHECK(finals(with) == finals(from_summary));
  CHECK(finals(with).size() == 4);
}

TEST_CASE("compare report: A and B bands and the difference for each metric", "[report]") {
  const RunResult a = small_run("base");
  Scenario sb = a.scenario;
  sb.name = "variant</script>";
  sb.funnel.activation_per_month = 0.7;
  const RunResult b = run_scenario(sb);
  const RunSummary sa = summarize_run(a), sbs = summarize_run(b);
  const std::vector<Metric> metrics = {Metric::arr_usd, Metric::logo_churn};
  const std::vector<Comparison> rows = compare_runs(sa, sbs, metrics, {6, 14});
  const CompareFiles files{compare_json_text(a, b, rows),
                           compare_months_csv_text(sa, sbs, metrics), "", ""};
  const std::string html = compare_report_html(files);
  const std::vector<std::string> ids = check_charts(html);
  CHECK(ids == std::vector<std::string>{"chart-ab-arr-usd", "chart-diff-arr-usd",
                                        "chart-ab-logo-churn", "chart-diff-logo-churn"});
  const nlohmann::json data = report_data(html);
  CHECK(data["datasets"]["bands"].size() == 2 * 2 * 14);  // metrics x sides x months
  CHECK(data["datasets"]["diffs"].size() == 2 * 14);
  CHECK(contains(html, "funnel.activation_per_month"));  // what differs
  CHECK(count(html, "</script>") == 5);
  CHECK(contains(html, "variant&lt;/script&gt;"));
  // arr_usd at month 14, as compare prints it: "..., P(B>A) = ..."
  CHECK(contains(html,
                 "<li>" + std::regex_replace(verdict(rows[1]), std::regex(">"), "&gt;") + "</li>"));

  const std::string old_folder = compare_report_html(CompareFiles{files.compare_json, "", "", ""});
  CHECK(contains(old_folder, "no compare_months.csv"));
  CHECK(figure_ids(old_folder).empty());
}

TEST_CASE("sweep report: scatter per output; heatmap on a grid; Sobol bars", "[report]") {
  const std::string html = sweep_report_html(grid_sweep());
  const std::vector<std::string> ids = check_charts(html);
  CHECK(ids == std::vector<std::string>{"chart-scatter-0", "chart-scatter-1", "chart-pair-0",
                                        "chart-pair-1", "chart-sensitivity-0"});
  const nlohmann::json data = report_data(html);
  CHECK(data["charts"][2]["spec"]["mark"]["type"] == "rect");  // two levers: a grid
  // Means over replicates: point 5 (spend 4000) has ARR 12000 and 12100.
  bool found = false;
  for (const auto& row : data["datasets"]["sweep_pairs"]) {
    if (row["point"] == 5 && row["output"] == "arr_usd@12") {
      CHECK(row["y"].get<double>() == 12050);
      found = true;
    }
    if (row["point"] == 0 && row["output"] == "logo_churn@mean:1-12") {
      CHECK(row["y"].get<double>() == Approx(0.021));  // the empty field (NaN) left out
    }
  }
  CHECK(found);
  CHECK(contains(html, "Sobol indices"));
  CHECK(data["datasets"]["sensitivity"].size() == 4);

  // Sampled parameters do not form cells: a scatter coloured by the output.
  SweepFiles lhs = grid_sweep("lhs");
  lhs.sweep_json =
      std::regex_replace(lhs.sweep_json, std::regex(R"("levers": \[[^\]]*\])"), R"("levers": [])");
  lhs.sensitivity_csv.clear();
  const std::string sampled = sweep_report_html(lhs);
  CHECK(report_data(sampled)["charts"][2]["spec"]["mark"]["type"] == "circle");
  CHECK_FALSE(contains(sampled, "Sobol"));
}

TEST_CASE("sweep report: malformed files are bad input naming the file", "[report]") {
  SweepFiles files = grid_sweep();
  files.results_csv += "1,2\n";
  try {
    sweep_report_html(files);
    FAIL("no exception");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().at(0).to_string().find("results.csv:") == 0);
  }
  files = grid_sweep();
  files.sweep_json = "{";
  CHECK_THROWS_AS(sweep_report_html(files), InputError);
}

TEST_CASE("report folders: the kind is found from the files; write_report writes the page",
          "[report]") {
  const test::TempDir dir("report");
  const RunResult run = small_run("small-plg");
  const RunSummary summary = summarize_run(run);
  write_run_outputs(dir / "run", run, summary, OutputOptions{});
  CHECK(report_kind(dir / "run") == ReportKind::run);
  CHECK(write_report(dir / "run") == ReportKind::run);
  CHECK(test::read_text(dir / "run" / "report.html") == run_report_html(run, summary));

  const SweepFiles sweep = grid_sweep();
  dir.write("sweep/sweep.json", sweep.sweep_json);
  dir.write("sweep/points.csv", sweep.points_csv);
  dir.write("sweep/results.csv", sweep.results_csv);
  dir.write("sweep/sensitivity.csv", sweep.sensitivity_csv);
  CHECK(write_report(dir / "sweep") == ReportKind::sweep);
  CHECK(test::read_text(dir / "sweep" / "report.html") == sweep_report_html(sweep));

  fs::create_directories(dir / "empty");
  CHECK_FALSE(report_kind(dir / "empty"));
  CHECK_THROWS_AS(write_report(dir / "empty"), InputError);
  CHECK_FALSE(fs::exists(dir / "empty" / "report.html"));
}

TEST_CASE("calibrate report: fit, marginals, pairs, schedule; warnings at a bound and for a "
          "poor fit; found by write_report", "[report]") {
  const test::TempDir dir("report-calibrate");
  dir.write("cal/calibration.json",
            R"({"engine": "mean_field", "particles": 3, "generations": 2, "posterior": [)"
            R"({"path": "a.x", "p5": 0.1, "p50": 0.2, "p95": 0.3, "prior_lo": 0, "prior_hi": 1},)"
            R"({"path": "b.y", "p5": 1.5, "p50": 1.96, "p95": 2, "prior_lo": 1, "prior_hi": 2}]})");
  dir.write("cal/posterior.csv",
            "generation,particle,weight,distance,a.x,b.y\n0,0,0.5,1,0.5,1.5\n0,1,0.5,2,0.6,1.2\n"
            "1,0,0.25,0.5,0.2,1.9\n1,1,0.75,0.4,0.25,1.97\n");
  dir.write("cal/generations.csv",
            "generation,tolerance,acceptance_rate,ess,simulations,simulations_total\n"
            "0,,1,2,2,2\n1,1.5,0.5,1.6,4,6\n");
  // signups: 2 of 3 observed months outside the band; month 4 is forecast only.
  dir.write("cal/forecast.csv",
            "month,metric,data,p5,p50,p95,mean\n1,signups,10,8,10,12,10\n"
            "2,signups,20,8,10,12,10\n3,signups,1,8,10,12,10\n4,signups,,8,10,12,10\n");
  CHECK(report_kind(dir / "cal") == ReportKind::calibrate);
  CHECK(write_report(dir / "cal") == ReportKind::calibrate);
  const std::string html = test::read_text(dir / "cal" / "report.html");
  for (const char* id : {"calibrate-fit-chart-signups", "calibrate-marginal-chart-a-x", "calibrate-pair-0-1",
                         "calibrate-tolerance", "calibrate-ess"}) {
    CHECK(html.find(id) != std::string::npos);
  }
  CHECK(html.find("Poor fit of <b>signups</b>: 67%") != std::string::npos);
  CHECK(html.find("<b>b.y</b> is at its prior's upper bound") != std::string::npos);
  CHECK(html.find("<b>a.x</b> is at") == std::string::npos);
  dir.write("cal/forecast.csv", "month,metric\n");
  CHECK_THROWS_AS(write_report(dir / "cal"), InputError);
  CHECK(try_write_calibrate_report(dir / "cal").find("forecast.csv") != std::string::npos);
}

TEST_CASE("cli: run writes report.html unless --no-report; report DIR rewrites it",
          "[report][cli]") {
  const test::CliWorkspace ws("report_cli");
  ws.write("tiny.yaml", test::tiny_scenario("tiny", 3));
  const fs::path dir = ws.work();
  auto cli = [&](const std::string& args) { return ws.run(args).code; };
  REQUIRE(cli("run tiny.yaml --out a --quiet") == 0);
  const std::string page = test::read_text(dir / "a" / "report.html");
  CHECK(contains(page, "<h1>tiny</h1>"));
  fs::remove(dir / "a" / "report.html");
  REQUIRE(cli("report a") == 0);
  CHECK(test::read_text(dir / "a" / "report.html") == page);
  REQUIRE(cli("run tiny.yaml --out a --quiet --force --no-report") == 0);
  CHECK_FALSE(fs::exists(dir / "a" / "report.html"));  // an old page would not match
  fs::create_directories(dir / "nothing");
  const test::CliResult bad = ws.run("report nothing");
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "holds no summary.json, compare.json or sweep.json"));
}
