// The mean-field twin's plumbing end to end: `flywheel expect` (files, table, bad input),
// expected.csv beside run and compare outputs, the reports' mean-field line and departure note,
// and sweeps with `engine: mean_field` (the same files as agent sweeps, the same bytes at any
// thread count). The twin's own correctness is tests/test_mean_field*.cpp.
#include "cli_run.hpp"
#include "report_data.hpp"
#include "temp_dir.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/spec/metrics.hpp>

#include "report/report_timeseries.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using flywheel::test::CliResult;
using flywheel::test::contains;
using flywheel::test::entries;
using flywheel::test::read_text;
using flywheel::test::write_text;
namespace fs = std::filesystem;

namespace {

struct Box : flywheel::test::CliWorkspace {
  Box() : CliWorkspace("expect") { write("tiny.yaml", flywheel::test::tiny_scenario()); }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The layers of the chart with this id in a report's embedded data (empty when none).
nlohmann::json chart_layers(const nlohmann::json& data, const std::string& id) {
  for (const auto& chart : data["charts"]) {
    if (chart["id"] == id) return chart["spec"].value("layer", nlohmann::json::array());
  }
  return nlohmann::json::array();
}

bool has_mean_field_line(const nlohmann::json& layers) {
  for (const auto& layer : layers) {
    if (layer["encoding"].contains("y") && layer["encoding"]["y"].value("field", "") == "expected")
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("expect: bad input exits 2 with file:line:col and writes nothing", "[cli][expect]") {
  const Box box;
  write_text(box.work() / "bad.yaml", flywheel::test::tiny_scenario() + "colour: blue\n");
  const CliResult unknown = box.run("expect bad.yaml --out o");
  CHECK(unknown.code == 2);
  CHECK(contains(unknown.err, "bad.yaml:10:1:"));
  const CliResult bad_set = box.run("expect tiny.yaml --set simulation.months=abc --out o");
  CHECK(bad_set.code == 2);
  CHECK(contains(bad_set.err, "simulation.months"));
  const CliResult missing = box.run("expect nowhere.yaml");
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "nowhere.yaml"));
  CHECK(box.run("expect").code == 2);
  CHECK(entries(box.work()) == std::vector<std::string>{"bad.yaml", "tiny.yaml"});
}

TEST_CASE("expect: writes expected.csv and expected.json and prints the headline table",
          "[cli][expect]") {
  const Box box;
  const CliResult r = box.run("expect tiny.yaml --set simulation.months=14 --quiet");
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  const fs::path out = box.work() / "out" / "expect-tiny";
  CHECK(entries(out) == std::vector<std::string>{"expected.csv", "expected.json"});
  CHECK(contains(r.out, "tiny: mean-field twin, 14 months"));
  CHECK(contains(r.out, "ARR"));
  CHECK(contains(r.out, "approximations"));
  CHECK(contains(r.out, "output: out/expect-tiny\n"));

  // expected.csv: month,metric,value for every month and metric, in timeseries.csv's order.
  const std::vector<std::string> csv = lines(read_text(out / "expected.csv"));
  REQUIRE(csv.size() == 1 + 14 * static_cast<std::size_t>(flywheel::kMetricCount));
  CHECK(csv[0] == "month,metric,value");
  CHECK(csv[1].rfind("1,", 0) == 0);
  CHECK(csv.back().rfind("14,", 0) == 0);
  const auto json = nlohmann::json::parse(read_text(out / "expected.json"));
  CHECK(json["scenario"]["name"] == "tiny");
  CHECK(json["months"] == 14);
  CHECK(json["approximations"].is_array());
  CHECK(json["integrator"]["relative_tolerance"] == 1e-3);
  CHECK(json["integrator"]["right_hand_sides"].get<int>() > 14 * 6);  // a step a month at least
  CHECK(json["at_months"].size() == 2);  // months 12 and the horizon, 14
  CHECK(json["at_months"]["14"].contains("arr_usd"));

  // Deterministic, and never replaced silently.
  const std::string first = read_text(out / "expected.csv");
  const CliResult again = box.run("expect tiny.yaml --set simulation.months=14 --quiet");
  CHECK(again.code == 2);
  CHECK(contains(again.err, "--force"));
  REQUIRE(box.run("expect tiny.yaml --set simulation.months=14 --quiet --force").code == 0);
  CHECK(read_text(out / "expected.csv") == first);
}

TEST_CASE("expect: run and compare write the same twin; their reports draw it",
          "[cli][expect][report]") {
  const Box box;
  box.write("b.yaml", flywheel::test::tiny_scenario("b"));
  REQUIRE(box.run("expect tiny.yaml --out e --quiet").code == 0);
  REQUIRE(box.run("run tiny.yaml --out r --quiet").code == 0);
  const std::string expected = read_text(box.work() / "e" / "expected.csv");
  CHECK(read_text(box.work() / "r" / "expected.csv") == expected);
  const nlohmann::json run_data =
      flywheel::test::report_data(read_text(box.work() / "r" / "report.html"));
  CHECK(has_mean_field_line(chart_layers(run_data, "chart-active-users")));
  bool rows_have_it = false;
  for (const auto& row : run_data["datasets"]["timeseries"]) {
    rows_have_it = rows_have_it || (row["metric"] == "active_users" && row.contains("expected"));
  }
  CHECK(rows_have_it);

  // An old folder without expected.csv still makes its report, without the line.
  fs::remove(box.work() / "r" / "expected.csv");
  REQUIRE(box.run("report r").code == 0);
  const nlohmann::json old_data =
      flywheel::test::report_data(read_text(box.work() / "r" / "report.html"));
  CHECK_FALSE(has_mean_field_line(chart_layers(old_data, "chart-active-users")));
  CHECK_FALSE(chart_layers(old_data, "chart-active-users").empty());

  REQUIRE(box.run("compare tiny.yaml b.yaml --out c --quiet").code == 0);
  CHECK(read_text(box.work() / "c" / "expected_a.csv") == expected);
  CHECK(fs::exists(box.work() / "c" / "expected_b.csv"));
  const nlohmann::json compare_data =
      flywheel::test::report_data(read_text(box.work() / "c" / "report.html"));
  CHECK(has_mean_field_line(chart_layers(compare_data, "chart-ab-accounts-paying")));
}

TEST_CASE("expect: the report notes where the mean field leaves the replicates",
          "[expect][report]") {
  using flywheel::report::MonthStats;
  // Replicates' mean 100 with sd 10 over 100 replicates (standard error 1), band 85-115.
  std::vector<MonthStats> months;
  for (int m = 1; m <= 6; ++m) months.push_back(MonthStats{m, 100, 85, 95, 100, 105, 115, 10, 100});
  std::map<int, double> close = {{1, 100.5}, {2, 101}, {3, 99}, {4, 101.5}, {5, 100}, {6, 100}};
  CHECK(flywheel::report::mean_field_departure(months, close) == 0);
  // Inside the band but 4+ standard errors (and 2%+) away from month 4 to the last month.
  std::map<int, double> biased = close;
  biased[4] = 105;
  biased[5] = 106;
  biased[6] = 107;
  CHECK(flywheel::report::mean_field_departure(months, biased) == 4);
  // Outside the band for months 2 to 4 (three in a row), back inside after.
  std::map<int, double> outside = close;
  outside[2] = 120;
  outside[3] = 130;
  outside[4] = 80;
  CHECK(flywheel::report::mean_field_departure(months, outside) == 2);
  // Two months out, then back: a blip says nothing.
  std::map<int, double> blip = close;
  blip[2] = 120;
  blip[3] = 130;
  CHECK(flywheel::report::mean_field_departure(months, blip) == 0);
  // Only the last month out: it lasts to the end.
  std::map<int, double> last = close;
  last[6] = 130;
  CHECK(flywheel::report::mean_field_departure(months, last) == 6);
  // Undefined months say nothing.
  std::map<int, double> undefined = {{1, NAN}, {2, NAN}};
  CHECK(flywheel::report::mean_field_departure(months, undefined) == 0);
  const flywheel::report::Expected expected = {{"arr_usd", outside}};
  CHECK(contains(flywheel::report::mean_field_note(months, expected, "arr_usd"),
                 "outside the replicates' band from month 2"));
  CHECK(flywheel::report::mean_field_note(months, expected, "mrr_usd").empty());
}

namespace {

constexpr const char* kSweepSpec = R"(base: base.yaml
engine: ENGINE
design: {method: lhs, samples: 6, seed: 4}
levers:
  strategy.marketing.spend_usd_per_month: {values: [0, 20000]}
uncertainties:
  funnel.churn_per_month.regular: {range: [0.01, 0.06]}
outputs: [arr_usd@12, accounts_paying@last, logo_churn@mean:1-12]
)";

std::string sweep_spec(const std::string& engine) {
  std::string spec = kSweepSpec;
  spec.replace(spec.find("ENGINE"), 6, engine);
  return spec;
}

// The folder's files and the units' file names: what downstream tools find there.
std::vector<std::string> sweep_files(const fs::path& dir) {
  std::vector<std::string> out = entries(dir);
  for (const std::string& unit : entries(dir / "units")) out.push_back("units/" + unit);
  return out;
}

}  // namespace

TEST_CASE("expect: a mean_field sweep writes an agent sweep's files, the same bytes at any "
          "thread count",
          "[sweep][expect]") {
  Box box;
  box.write("base.yaml", read_text(FLYWHEEL_SOURCE_DIR "/tests/data/sweep-base.yaml"));
  box.write("mf.yaml", sweep_spec("mean_field"));
  box.write("agent.yaml", "replicates: 1\n" + sweep_spec("agent"));
  REQUIRE(box.run("sweep mf.yaml --out m1 --threads 1 --quiet").code == 0);
  REQUIRE(box.run("sweep mf.yaml --out m2 --threads 2 --quiet").code == 0);
  REQUIRE(box.run("sweep agent.yaml --out a --threads 2 --quiet").code == 0);
  CHECK(sweep_files(box.work() / "m1") == sweep_files(box.work() / "a"));
  for (const char* file : {"results.csv", "points.csv"}) {
    INFO(file);
    CHECK(read_text(box.work() / "m1" / file) == read_text(box.work() / "m2" / file));
  }
  for (const std::string& unit : entries(box.work() / "m1" / "units")) {
    CHECK(read_text(box.work() / "m1" / "units" / unit) ==
          read_text(box.work() / "m2" / "units" / unit));
  }
  const std::vector<std::string> results = lines(read_text(box.work() / "m1" / "results.csv"));
  CHECK(results.size() == 1 + 12);  // 2 policies x 6 scenarios, one replicate each
  CHECK(results[0] == lines(read_text(box.work() / "a" / "results.csv"))[0]);
  const auto identity = nlohmann::json::parse(read_text(box.work() / "m1" / "sweep.json"));
  CHECK(identity["engine"] == "mean_field");
  CHECK(identity["replicates"] == 1);
  CHECK(nlohmann::json::parse(read_text(box.work() / "a" / "sweep.json"))["engine"] == "agent");
  CHECK(contains(read_text(box.work() / "m1" / "report.html"), "mean_field"));
}

TEST_CASE("expect: bad engines, replicates and --precision of a mean_field sweep are refused",
          "[sweep][expect]") {
  Box box;
  box.write("base.yaml", read_text(FLYWHEEL_SOURCE_DIR "/tests/data/sweep-base.yaml"));
  box.write("bad.yaml", sweep_spec("meanfield"));
  const CliResult bad = box.run("sweep bad.yaml --out o");
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "bad.yaml:2:9: engine: \"meanfield\" is not an engine; expected agent"));
  CHECK(contains(bad.err, "mean_field"));
  box.write("reps.yaml", "replicates: 5\n" + sweep_spec("mean_field"));
  const CliResult reps = box.run("sweep reps.yaml --out o");
  CHECK(reps.code == 2);
  CHECK(contains(reps.err, "reps.yaml:1:13: replicates: 5 with engine mean_field"));
  box.write("mf.yaml", sweep_spec("mean_field"));
  const CliResult precision = box.run("sweep mf.yaml --out o --precision arr_usd@12:5%");
  CHECK(precision.code == 2);
  CHECK(contains(precision.err, "--precision"));
  CHECK_FALSE(fs::exists(box.work() / "o"));
}
