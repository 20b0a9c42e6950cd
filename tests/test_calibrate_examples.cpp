// The shipped calibration examples (scenarios/calibration/, docs/calibrate.md): every spec there
// loads with its data and its base scenario, the base scenarios have no warnings, the public
// company example (Slack's paid customers) holds the figures its sources quote, and a quick
// calibration of it runs to a forecast past the data (about 50 mean-field simulations of 84
// months: seconds).
#include "temp_dir.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

using flywheel::test::read_text;
using flywheel::test::TempDir;
namespace fs = std::filesystem;
using namespace flywheel;

namespace {

const fs::path kCalibration = fs::path(FLYWHEEL_SOURCE_DIR) / "scenarios" / "calibration";

// The spec files of the folder: those with `data:` (the others are their base scenarios).
std::vector<fs::path> specs() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kCalibration)) {
    if (entry.path().extension() != ".yaml") continue;
    if (read_text(entry.path()).find("\ndata:") != std::string::npos) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("calibrate examples: every shipped spec loads, its base has no warnings",
          "[calibrate]") {
  const std::vector<fs::path> files = specs();
  REQUIRE(files.size() >= 2);  // the synthetic history and Slack
  for (const fs::path& file : files) {
    INFO(file.string());
    const CalibrationSpec spec = load_calibration_spec(file.string());
    CHECK(!spec.params.empty());
    CHECK(!spec.data.empty());
    std::vector<Diagnostic> warnings;
    load_scenario(spec.base_file, {}, &warnings);
    for (const Diagnostic& w : warnings) UNSCOPED_INFO(w.to_string());
    CHECK(warnings.empty());
  }
}

TEST_CASE("calibrate examples: Slack's paid customers as the sources quote them", "[calibrate]") {
  const CalibrationSpec spec =
      load_calibration_spec((kCalibration / "slack-paid-customers.yaml").string());
  CHECK(spec.engine == SweepEngine::mean_field);
  CHECK(spec.horizon == 84);  // February 2014 to January 2021
  REQUIRE(spec.params.size() == 3);
  CHECK(spec.params[0].path == "market.people");
  // month (February 2014 = 1) -> paid customers, weight (2020's are held out: weight 0)
  const std::vector<std::tuple<int, double, double>> expected = {
      {60, 88000, 1}, {63, 95000, 1},  {66, 100000, 1}, {69, 105000, 1},
      {72, 110000, 1}, {75, 122000, 0}, {78, 130000, 0}};
  REQUIRE(spec.data.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Observation& o = spec.data[i];
    CHECK(o.metric == Metric::accounts_paying);
    CHECK(o.month == std::get<0>(expected[i]));
    CHECK(o.value == std::get<1>(expected[i]));
    CHECK(o.weight == std::get<2>(expected[i]));
    CHECK(o.sd == 2500);
  }
  // Every figure has its source line in the file's comment block.
  const std::string csv = read_text(kCalibration / "slack-paid-customers.csv");
  for (const char* quote : {"88,000", "over 95,000", "over 100,000", "over 105,000", "110,000",
                            "more than 122,000", "over 130,000"}) {
    INFO(quote);
    CHECK(csv.find(quote) != std::string::npos);
  }
}

TEST_CASE("calibrate examples: a quick calibration of Slack runs to a forecast",
          "[calibrate]") {
  const TempDir dir("calibrate-slack");
  // The shipped spec with a small budget; base and data stay where they are (absolute paths).
  std::string text = read_text(kCalibration / "slack-paid-customers.yaml");
  const auto replace = [&text](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("base: slack.yaml", "base: " + (kCalibration / "slack.yaml").string());
  replace("data: slack-paid-customers.csv",
          "data: " + (kCalibration / "slack-paid-customers.csv").string());
  replace("particles: 60", "particles: 16");
  replace("generations: 5", "generations: 1");
  replace("forecast: {draws: 100}", "forecast: {draws: 8}");
  const std::string file = dir.write("slack-quick.yaml", text);
  const CalibrationSpec spec = load_calibration_spec(file);
  CalibrateOptions options;
  options.threads = 2;
  const CalibrationResult result = run_calibration(spec, (dir / "out").string(), options);
  CHECK(result.generations == 2);
  CHECK(result.stop_reason == "generations");
  std::istringstream forecast(read_text(dir / "out" / "forecast.csv"));
  std::string line;
  std::getline(forecast, line);
  CHECK(line == "month,metric,data,p5,p50,p95,mean");
  std::set<int> months;
  while (std::getline(forecast, line)) months.insert(std::stoi(line.substr(0, line.find(','))));
  CHECK(*months.rbegin() == 84);  // a year past the last data (month 78)
  CHECK(fs::exists(dir / "out" / "calibrated.yaml"));
}
