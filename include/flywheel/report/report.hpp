// report.html (docs/design.md#reports): one self-contained page per run, compare or sweep folder,
// with interactive Vega-Lite charts and their data embedded, so it opens offline. Every report is
// made from the files of its folder, so `flywheel report DIR` rewrites the page a command wrote.
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace flywheel {

// ---- from the files' texts (what the folder functions below read) ----

struct RunFiles {
  std::string summary_json, timeseries_csv;
  std::string replicates_csv;  // optional: empty when the folder has none
  std::string cohorts_csv;     // optional: empty when the folder has none
  std::string expected_csv;    // optional: the mean-field twin (expected.csv), or empty
};
// Fan charts (ARR, MRR, paying accounts, active users, users by stage), MRR movements (monthly
// and over the horizon), the money (spend by lever, burn, cash, CAC, payback, LTV / CAC, burn
// multiple, cumulative spend and gross profit), retention (annual NRR, GRR and logo retention;
// cohort heatmaps from cohorts.csv), histograms at the horizon (from summary.json's
// final_by_replicate, or replicates.csv), the flywheel's stage flow, target probabilities, the
// resolved scenario. Every time chart marks the months at which a schedule of the scenario
// changes a parameter. Panels that are zero or undefined throughout are left out with a note.
// With expected.csv, the growth charts also draw the mean-field twin as a dashed line, with a
// note under a headline chart whose mean field leaves the replicates (report_timeseries.hpp).
std::string run_report_html(const RunFiles& files);

struct CompareFiles {
  std::string compare_json;
  std::string compare_months_csv;  // compare_months_csv_text (compare.hpp); optional
  std::string expected_a_csv, expected_b_csv;  // each side's mean-field twin; optional
  std::vector<std::string> expected_more = {};  // expected_c.csv, ... of an N-way compare
};
// N-way compares (compare.json with "variants"): A and every variant overlaid, each variant - A,
// a bottom line per variant.
// Per compared metric: A and B bands overlaid (with each side's mean field dashed when
// expected_a.csv and expected_b.csv are there), and B - A with its 95% interval, per month;
// the verdicts; the parameters that differ.
std::string compare_report_html(const CompareFiles& files);

struct SweepFiles {
  std::string sweep_json, points_csv, results_csv;
  std::string sensitivity_csv;  // optional
  // optional, written by `flywheel discover`: a scenario-discovery section when both are there
  std::string discover_json, discover_trajectory_csv;
};
// Per output: the mean over replicates of each point against each parameter (colour: policy
// when there are levers), a heatmap over two parameters on a grid (or a coloured scatter), and
// Sobol S1/ST or Morris mu*/sigma bars with their intervals when sensitivity.csv exists.
std::string sweep_report_html(const SweepFiles& files);

struct OptimizeFiles {
  std::string optimize_json, trace_csv, candidates_csv;
  std::string frontier_csv;  // optional
};
// The best candidate with its objective's interval and constraints, the convergence of each
// optimiser run (objective per call and the best feasible so far) and the trade-off frontier
// (the best objective against the varied constraint's bound) when frontier.csv exists.
std::string optimize_report_html(const OptimizeFiles& files);
// Writes DIR/report.html of an optimize folder; the failure's message, or empty when written.
std::string try_write_optimize_report(const std::filesystem::path& dir);

struct CalibrateFiles {
  std::string calibration_json, posterior_csv, generations_csv, forecast_csv;
};
// Warnings (a posterior median within 10% of the prior's width from a bound; a metric with
// more than 20% of its observed points outside the 90% predictive band), the data against the
// posterior-predictive band per metric, each parameter's weighted histogram in the last
// generation over its prior range, pair plots of up to four parameters and the tolerance,
// acceptance rate and ESS per generation.
std::string calibrate_report_html(const CalibrateFiles& files);
// Writes DIR/report.html of a calibrate folder (InputError for a missing or malformed file).
void write_calibrate_report(const std::filesystem::path& dir);
// The same, returning the failure's message (empty when written), so a report never fails a
// calibration.
std::string try_write_calibrate_report(const std::filesystem::path& dir);

// ---- from a run in memory and from folders ----

// The same page as run_report_html of the files write_run_outputs writes without expected.csv
// (no mean-field line: pass RunFiles with expected_csv for it).
std::string run_report_html(const RunResult& run, const RunSummary& summary);

enum class ReportKind { run, compare, sweep, calibrate };
// What the folder holds: summary.json (run), compare.json (compare), sweep.json (sweep),
// calibration.json (calibrate).
std::optional<ReportKind> report_kind(const std::filesystem::path& dir);

// Write DIR/report.html atomically from the folder's files. Missing or malformed files are
// bad input (InputError naming the file).
void write_run_report(const std::filesystem::path& dir);
void write_compare_report(const std::filesystem::path& dir);
void write_sweep_report(const std::filesystem::path& dir);
// write_sweep_report after a sweep's own work is done: a failure is returned as its message
// (empty when the page was written), never thrown, so a report never fails a sweep.
std::string try_write_sweep_report(const std::filesystem::path& dir);
// Any of the four, by report_kind; InputError when the folder is none of them.
ReportKind write_report(const std::filesystem::path& dir);

}  // namespace flywheel
