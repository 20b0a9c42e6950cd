// The run and compare sequences that `flywheel run`, `flywheel compare` and the Python module
// share: load with the same overrides, check everything before anything runs, run, summarise and
// render the output texts. Callers choose only where the texts go (files or Python strings) and
// how progress shows, so the two front ends cannot drift apart.
#pragma once

#include <flywheel/experiments/compare.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>
#include <flywheel/scenario/loader.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flywheel {

// A scenario as a front end has it: a file (text empty), or YAML text with the name its
// messages use, whose `extends:` paths resolve relative to `base_dir`.
struct ScenarioSource {
  std::string name;
  std::optional<std::string> text;
  std::string base_dir = ".";
};
// With `warnings`, also the scenario's warnings, located (load_scenario).
Scenario load_source(const ScenarioSource& source, const std::vector<Override>& overrides,
                     std::vector<Diagnostic>* warnings = nullptr);

// One scenario's replicates and their distributions.
struct RunJob {
  RunResult run;
  RunSummary summary;
};
RunJob run_job(const Scenario& scenario, const RunOptions& options);

// summary.json, timeseries.csv, replicates.csv, cohorts.csv and expected.csv (the mean-field
// twin; empty when the twin cannot express the scenario), byte for byte as `flywheel run`
// writes them.
struct RunTexts {
  std::string summary_json, timeseries_csv, replicates_csv, cohorts_csv;
  std::string expected_csv;
};
RunTexts run_texts(const RunJob& job);

// Two or more scenarios (A, then the variants B, C, ...) loaded with the same overrides, the
// metrics, outputs (metric@STAT:A-B) and months to compare, all checked (names, pairable seeds,
// replicates and months against A) before any runs. Throws InputError.
struct ComparePlan {
  std::vector<Scenario> sides;  // A first
  std::vector<Metric> metrics;
  std::vector<OutputSpec> outputs;
  std::vector<int> months;
  std::vector<Diagnostic> warnings;  // each side's in order (scenario_warnings, located)
  const Scenario& a() const { return sides.front(); }
};
ComparePlan plan_comparison(const std::vector<ScenarioSource>& sides,
                            const std::vector<Override>& overrides,
                            const std::vector<std::string>& metric_names,
                            const std::vector<int>& months);
ComparePlan plan_comparison(const ScenarioSource& a, const ScenarioSource& b,
                            const std::vector<Override>& overrides,
                            const std::vector<std::string>& metric_names,
                            const std::vector<int>& months);

// The label of side i: A, B, C, ... (at most 26 sides).
std::string side_label(std::size_t i);

// Every side with the same seed (common random numbers); options.on_progress sees one count
// over all runs (done of sides x replicates). Each variant is compared with A: its rows (the
// metrics identically zero in every run left out, listed in `omitted`) and bottom line.
struct CompareJob {
  std::vector<RunJob> runs;                     // A first
  std::vector<std::vector<Comparison>> rows;    // per variant (runs[1..])
  std::vector<BottomLine> bottom_lines;         // per variant
  std::vector<std::string> omitted;             // metric names
};
CompareJob run_comparison(const ComparePlan& plan, const RunOptions& options);

// compare.csv, compare_months.csv, compare.json, the verdict lines (a note for the omitted
// metrics) and the bottom lines. With two sides the files keep their two-scenario layout; with
// more, compare.csv and compare_months.csv gain a leading variant column (B, C, ...) and
// compare.json lists the variants.
struct CompareTexts {
  std::string csv, months_csv, json;
  std::vector<std::string> verdicts;
  std::vector<std::string> bottom_lines;
};
CompareTexts compare_texts(const ComparePlan& plan, const CompareJob& job);

}  // namespace flywheel
