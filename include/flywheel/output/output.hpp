// The output folder of a run (docs/design.md#outputs): summary.json, timeseries.csv,
// cohorts.csv, optional replicates.csv. Every file is written under a temporary name, flushed and
// renamed, so a killed run never leaves a partial file under a final name.
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>

#include <array>
#include <filesystem>
#include <string>

namespace flywheel {

// Writes `content` to `path` atomically (temporary file in the same folder, fsync, rename).
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

// summary.json's "final_by_replicate": these metrics at the horizon, one value per replicate.
inline constexpr std::array<Metric, 4> kFinalByReplicateMetrics = {
    Metric::arr_usd, Metric::logo_churn, Metric::nrr, Metric::k_factor};

struct OutputOptions {
  bool replicates_csv = false;
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
