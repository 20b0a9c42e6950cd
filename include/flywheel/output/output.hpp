// The output folder of a run (docs/design.md#outputs): summary.json, timeseries.csv,
// cohorts.csv, optional replicates.csv and expected.csv. Every file is written under a temporary name, flushed and
// renamed, so a killed run never leaves a partial file under a final name.
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <string>

namespace flywheel {

// Writes `content` to `path` atomically (temporary file in the same folder, fsync, rename).
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

// The text of a JSON output file (summary.json's format, shared by expected.json): 2-space
// indent, keys in the document's order, numbers in fmt's shortest round-trip form, NaN and
// infinities as null, bad UTF-8 replaced; ends with a newline.
std::string json_file_text(const nlohmann::ordered_json& doc);

// summary.json's "final_by_replicate": these metrics at the horizon, one value per replicate.
inline constexpr std::array<Metric, 4> kFinalByReplicateMetrics = {
    Metric::arr_usd, Metric::logo_churn, Metric::nrr, Metric::k_factor};

struct OutputOptions {
  bool replicates_csv = false;
  // expected.csv, the mean-field twin's month,metric,value (meanfield::expected_csv): written
  // when not empty; an older one is removed otherwise.
  std::string expected_csv;
};

// The texts of the output files; byte-identical for the same scenario and seed.
std::string summary_json_text(const RunResult& run, const RunSummary& summary);
std::string timeseries_csv_text(const RunSummary& summary);
std::string replicates_csv_text(const RunResult& run, const RunSummary& summary);
// cohorts.csv: the cohort retention triangle (accounts by first-paid month, users by signup
// month), the retained share's statistics over replicates by cohort and age (cohorts.cpp).
std::string cohorts_csv_text(const RunResult& run);

// Creates `dir` if needed and writes the files into it.
void write_run_outputs(const std::filesystem::path& dir, const RunResult& run,
                       const RunSummary& summary, const OutputOptions& options);

}  // namespace flywheel
