#include "temp_dir.hpp"

#include <flywheel/output/output.hpp>
#include <flywheel/common/version.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace flywheel;
using flywheel::test::entries;
using flywheel::test::read_text;
using flywheel::test::TempDir;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.push_back("");
  return fields;
}

int metric_index(Metric m) {
  return static_cast<int>(m);
}

// Two replicates of two months, filled by hand:
//   paying accounts: replicate 0: 0, 100; replicate 1: 100, 3
//   median time to value: only replicate 0, month 2 (3.5 days)
//   replicate 1, month 2: MRR $1 over 3 paying accounts -> ARPA 1/3; replicate 0, month 2:
//   MRR $1M -> ARR 12000000
RunResult hand_run() {
  RunResult run;
  Scenario& s = run.scenario;
  s.name = "hand";
  s.description = "made in code";
  s.simulation.months = 2;
  s.simulation.step = StepSize::month;
  s.simulation.replicates = 2;
  s.simulation.seed = 7;
  s.market.people = 100;
  s.market.segments = {Segment{"smb", 1.0, {}, 10.0, 0.0, {}}};
  s.targets = {Target{"accounts_paying", 100.0, std::nullopt, 1}};
  run.replicates.resize(2);
  for (std::uint32_t r = 0; r < 2; ++r) {
    run.replicates[r].replicate = r;
    run.replicates[r].months.resize(2);
  }
  run.replicates[0].months[0].accounts_paying = 0;
  run.replicates[0].months[1].accounts_paying = 100;
  run.replicates[0].months[1].median_ttv_days = 3.5;
  run.replicates[0].months[1].mrr_end_cents = 100'000'000;
  run.replicates[1].months[0].accounts_paying = 100;
  run.replicates[1].months[1].accounts_paying = 3;
  run.replicates[1].months[1].mrr_end_cents = 100;
  return run;
}

}  // namespace

TEST_CASE("timeseries.csv: header, one row per month and metric, shortest numbers", "[output]") {
  const RunResult run = hand_run();
  const std::vector<std::string> lines = lines_of(timeseries_csv_text(summarize_run(run)));
  REQUIRE(lines.size() == 1 + 2 * kMetricCount);
  CHECK(lines[0] == "month,metric,mean,sd,p5,p25,p50,p75,p95,n");
  CHECK(lines[1] == "1,users_unaware,0,0,0,0,0,0,0,2");
  // Row of month m (1-based), metric k: 1 + (m - 1) K + k.
  CHECK(lines[1 + metric_index(Metric::accounts_paying)] ==
        "1,accounts_paying,50,70.71067811865476,5,25,50,75,95,2");
  CHECK(lines[1 + kMetricCount + metric_index(Metric::spend_marketing_usd)].starts_with(
      "2,spend_marketing_usd,"));
}

TEST_CASE("timeseries.csv: undefined values are empty fields with n = 0", "[output]") {
  const RunResult run = hand_run();
  const std::vector<std::string> lines = lines_of(timeseries_csv_text(summarize_run(run)));
  REQUIRE(lines.size() == 1 + 2 * kMetricCount);
  CHECK(lines[1 + metric_index(Metric::median_ttv_days)] == "1,median_ttv_days,,,,,,,,0");
  CHECK(lines[1 + kMetricCount + metric_index(Metric::median_ttv_days)] ==
        "2,median_ttv_days,3.5,0,3.5,3.5,3.5,3.5,3.5,1");
}

TEST_CASE("replicates.csv is wide: replicate, month, then one column per metric", "[output]") {
  const RunResult run = hand_run();
  const std::vector<std::string> lines = lines_of(replicates_csv_text(run, summarize_run(run)));
  REQUIRE(lines.size() == 1 + 2 * 2);
  const std::vector<std::string> header = fields_of(lines[0]);
  REQUIRE(header.size() == 2 + kMetricCount);
  CHECK(header[0] == "replicate");
  CHECK(header[1] == "month");
  CHECK(header[2 + metric_index(Metric::arr_usd)] == "arr_usd");
  CHECK(header.back() == std::string(metric_name(static_cast<Metric>(kMetricCount - 1))));

  const std::vector<std::string> r0m2 = fields_of(lines[2]);  // rows: (0,1) (0,2) (1,1) (1,2)
  REQUIRE(r0m2.size() == 2 + kMetricCount);
  CHECK(r0m2[0] == "0");
  CHECK(r0m2[1] == "2");
  CHECK(r0m2[2 + metric_index(Metric::arr_usd)] == "12000000");
  CHECK(r0m2[2 + metric_index(Metric::median_ttv_days)] == "3.5");

  const std::vector<std::string> r1m2 = fields_of(lines[4]);
  REQUIRE(r1m2.size() == 2 + kMetricCount);
  CHECK(r1m2[0] == "1");
  CHECK(r1m2[2 + metric_index(Metric::accounts_paying)] == "3");
  CHECK(r1m2[2 + metric_index(Metric::arpa_usd)] == "0.3333333333333333");
  CHECK(r1m2[2 + metric_index(Metric::median_ttv_days)].empty());
}

TEST_CASE("summary.json: keys in the documented order and values that parse back", "[output]") {
  const RunResult run = hand_run();
  const std::string text = summary_json_text(run, summarize_run(run));
  const auto doc = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : doc.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"flywheel_version", "scenario", "seed", "replicates",
                                         "months", "final", "at_months", "final_by_replicate",
                                         "targets", "warnings", "metrics"});
  CHECK(doc["flywheel_version"] == kVersion);
  CHECK(doc["scenario"]["name"] == "hand");
  CHECK(doc["scenario"]["description"] == "made in code");
  CHECK(doc["scenario"]["file"] == "");
  CHECK(doc["scenario"]["resolved"].is_object());
  CHECK(doc["seed"] == 7);
  CHECK(doc["replicates"] == 2);
  CHECK(doc["months"] == 2);
  CHECK(doc["final"]["accounts_paying"]["p50"] == 51.5);  // month 2: 100 and 3
  CHECK(doc["final"]["accounts_paying"]["n"] == 2);
  CHECK(doc["at_months"].empty());  // horizon 2 < 12
  REQUIRE(doc["metrics"].size() == static_cast<std::size_t>(kMetricCount));
  CHECK(doc["metrics"][0]["name"] == "users_unaware");
  CHECK(doc["metrics"][0]["unit"] == "people");
  CHECK(text.find("\n  \"scenario\": {\n    \"name\": \"hand\"") != std::string::npos);
}

TEST_CASE("summary.json: final_by_replicate holds each replicate's horizon value", "[output]") {
  const RunResult run = hand_run();
  const auto doc = nlohmann::ordered_json::parse(summary_json_text(run, summarize_run(run)));
  const auto& finals = doc["final_by_replicate"];
  std::vector<std::string> keys;
  for (const auto& item : finals.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"arr_usd", "logo_churn", "nrr", "k_factor"});
  REQUIRE(finals["arr_usd"].size() == 2);
  const RunSummary summary = summarize_run(run);
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(finals["arr_usd"][r].get<double>() ==
          summary.values[r].back()[static_cast<int>(Metric::arr_usd)]);
  }
  CHECK(finals["logo_churn"][0].is_null());  // no paying account at the month's start
}

TEST_CASE("summary.json: NaN is null and targets carry their interval", "[output]") {
  const RunResult run = hand_run();
  const auto doc = nlohmann::json::parse(summary_json_text(run, summarize_run(run)));
  CHECK(doc["final"]["median_ttv_days"]["n"] == 1);
  CHECK(doc["final"]["logo_churn"]["mean"].is_null());
  CHECK(doc["final"]["logo_churn"]["p95"].is_null());
  CHECK(doc["final"]["logo_churn"]["n"] == 0);
  REQUIRE(doc["targets"].size() == 1);
  const auto& target = doc["targets"][0];
  CHECK(target["metric"] == "accounts_paying");
  CHECK(target["at_least"] == 100.0);
  CHECK(target["at_most"].is_null());
  CHECK(target["by_month"] == 1);
  CHECK(target["reached"] == 1);  // replicate 1 at month 1; replicate 0 only at month 2
  CHECK(target["replicates"] == 2);
  CHECK(target["probability"] == 0.5);
  REQUIRE(target["ci95"].size() == 2);
  CHECK(target["ci95"][0].get<double>() == Approx(0.0945).margin(1e-4));
  CHECK(target["ci95"][1].get<double>() == Approx(0.9055).margin(1e-4));
}

TEST_CASE("summary.json: at_months holds 12/24/36 within the horizon, final the last month",
          "[output]") {
  RunResult run = hand_run();
  run.scenario.simulation.months = 25;
  for (ReplicateResult& r : run.replicates) {
    r.months.assign(25, MonthRecord{});
    r.months[11].accounts_paying = 3;  // month 12
    r.months[23].accounts_paying = 4;  // month 24
    r.months[24].accounts_paying = 5;  // month 25
  }
  const auto doc = nlohmann::ordered_json::parse(summary_json_text(run, summarize_run(run)));
  std::vector<std::string> keys;
  for (const auto& item : doc["at_months"].items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"12", "24"});
  CHECK(doc["at_months"]["12"]["accounts_paying"]["mean"] == 3);
  CHECK(doc["at_months"]["24"]["accounts_paying"]["mean"] == 4);
  CHECK(doc["final"]["accounts_paying"]["mean"] == 5);
}

TEST_CASE("write_file_atomic replaces the content and leaves no temporary file", "[output]") {
  TempDir dir("atomic");
  write_file_atomic(dir / "a.txt", "first version\n");
  write_file_atomic(dir / "a.txt", "second\n");
  CHECK(read_text(dir / "a.txt") == "second\n");
  CHECK(entries(dir.path()) == std::vector<std::string>{"a.txt"});
}

TEST_CASE("write_file_atomic failures name the path and clean up", "[output]") {
  TempDir dir("atomic_fail");
  const auto missing = dir / "no_such_folder" / "a.txt";
  try {
    write_file_atomic(missing, "x");
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find(missing.string()) != std::string::npos);
    CHECK(std::string(e.what()).find("No such file or directory") != std::string::npos);
  }
  // Renaming a file over a non-empty folder fails after the temporary file was written.
  std::filesystem::create_directories(dir / "taken" / "inside");
  CHECK_THROWS_AS(write_file_atomic(dir / "taken", "x"), std::runtime_error);
  CHECK(entries(dir.path()) == std::vector<std::string>{"taken"});
}

TEST_CASE("write_run_outputs creates the folder; replicates.csv only when asked", "[output]") {
  TempDir dir("run_outputs");
  const RunResult run = hand_run();
  const RunSummary summary = summarize_run(run);
  const auto out = dir / "nested" / "run";
  write_run_outputs(out, run, summary, OutputOptions{true, ""});
  CHECK(entries(out) == std::vector<std::string>{"cohorts.csv", "replicates.csv", "summary.json",
                                                 "timeseries.csv"});
  CHECK(read_text(out / "summary.json") == summary_json_text(run, summary));
  CHECK(read_text(out / "cohorts.csv") == cohorts_csv_text(run));
  CHECK(read_text(out / "timeseries.csv") == timeseries_csv_text(summary));
  CHECK(read_text(out / "replicates.csv") == replicates_csv_text(run, summary));
  // A rerun without replicates.csv must not leave the old one beside the new summary.
  write_run_outputs(out, run, summary, OutputOptions{false, ""});
  CHECK(entries(out) == std::vector<std::string>{"cohorts.csv", "summary.json", "timeseries.csv"});
}

TEST_CASE("summary.json: referral cascades pooled over replicates", "[output][referrals]") {
  RunResult run = hand_run();
  run.scenario.strategy.referrals.enabled = true;
  run.replicates[0].cascade_histogram = {0, 3, 1};           // three trees of 1, one of 2
  run.replicates[1].cascade_histogram = {0, 1, 0, 0, 0, 1};  // one tree of 1, one of 5
  const auto doc = nlohmann::ordered_json::parse(summary_json_text(run, summarize_run(run)));
  std::vector<std::string> keys;
  for (const auto& item : doc.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"flywheel_version", "scenario", "seed", "replicates",
                                         "months", "final", "at_months", "final_by_replicate",
                                         "targets", "warnings", "referral_cascades",
                                         "metrics"});
  const auto& c = doc["referral_cascades"];
  CHECK(c["seeds"] == 6);
  CHECK(c["mean"].get<double>() == Approx(11.0 / 6.0));
  CHECK(c["p50"] == 1);  // 4 of 6 seeds have trees of 1
  CHECK(c["p90"] == 5);  // 5 of 6 (83%) have trees of at most 2
  CHECK(c["p99"] == 5);
  CHECK(c["max"] == 5);
  CHECK(c["histogram"] == nlohmann::ordered_json::parse(R"({"1": 4, "2": 1, "5": 1})"));
}
