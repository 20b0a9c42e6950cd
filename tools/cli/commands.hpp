// The subcommands of the `flywheel` program: each registers its options on the CLI11 app and
// then runs from the parsed values. They parse, call the library and print; no model code here.
#pragma once

#include <flywheel/experiments/sweep.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel::cli {

struct RunArgs {
  std::string scenario_file;
  std::string replicates;  // kept as text: validated by the loader as simulation.replicates
  std::string seed;        // likewise, simulation.seed
  int threads = 0;
  std::string out_dir;
  std::vector<std::string> sets;
  bool replicates_csv = false;
  bool no_report = false;
  bool quiet = false;
  bool force = false;
};

struct ExpectArgs {
  std::string scenario_file;
  std::string out_dir;
  std::vector<std::string> sets;
  bool quiet = false;
  bool force = false;
};

struct ValidateArgs {
  std::string scenario_file;
  std::vector<std::string> sets;
};

CLI::App* add_run_command(CLI::App& app, RunArgs& args);
CLI::App* add_validate_command(CLI::App& app, ValidateArgs& args);
CLI::App* add_expect_command(CLI::App& app, ExpectArgs& args);
CLI::App* add_params_command(CLI::App& app);
CLI::App* add_metrics_command(CLI::App& app);

// Each returns the exit code; bad input is thrown as InputError (exit code 2, see main.cpp).
int run_command(const RunArgs& args);
int validate_command(const ValidateArgs& args);
int expect_command(const ExpectArgs& args);
int params_command();
int metrics_command();

struct CompareArgs {
  std::vector<std::string> scenarios;  // A, then the variants B, C, ...
  std::string replicates, seed;  // validated by the loader, as for run
  int threads = 0;
  std::string out_dir;
  std::vector<std::string> sets;  // applied to both scenarios
  std::vector<std::string> metrics;
  std::vector<int> months;
  bool no_report = false;
  bool quiet = false;
  bool force = false;
};

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args);
int compare_command(const CompareArgs& args);

struct SweepArgs {
  std::string spec_file;
  std::string out_dir;
  std::string shard;      // "k/N"
  std::string precision;  // "OUTPUT:TARGET[%]"
  int max_replicates = 0;
  bool retry_failed = false;
  bool force_new = false;
  bool dry_run = false;
  bool no_report = false;
  int threads = 0;
  bool quiet = false;
  int replicates = 0;  // --replicates: 0 = the spec's
  int samples = 0;     // --samples: 0 = the spec's design.samples
  std::vector<std::string> sets;  // --set path=value: added to the spec's `set:`
};
// The spec's overrides given on the command line (--replicates, --samples, --set).
SweepOverrides sweep_overrides(const SweepArgs& args);
// Adds --replicates, --samples and --set to `sweep` or `sensitivity`.
void add_sweep_override_options(CLI::App& command, SweepArgs& args);

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out_dir;
};

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);
CLI::App* add_merge_command(CLI::App& app, MergeArgs& args);
// Exit code 3: the sweep finished but some units failed (manifest.json lists them).
int sweep_command(const SweepArgs& args);
int merge_command(const MergeArgs& args);
std::filesystem::path sweep_out_dir(const SweepArgs& args);
// Writes DIR/report.html of a merged sweep; a failure is reported but never fails the sweep.
void write_sweep_report_or_warn(const std::filesystem::path& dir, bool quiet);

struct SensitivityArgs {
  SweepArgs sweep;          // the spec and how to run it
  std::string analyse_dir;  // --analyse DIR: only analyse a finished sweep folder
};
CLI::App* add_sensitivity_command(CLI::App& app, SensitivityArgs& args);
int sensitivity_command(const SensitivityArgs& args);

struct DiscoverArgs {
  std::string dir;
  std::string target;
  double alpha = 0.05;
  double min_mass = 0.05;
  double threshold = 0.8;
  bool no_report = false;
};
CLI::App* add_discover_command(CLI::App& app, DiscoverArgs& args);
int discover_command(const DiscoverArgs& args);

struct OptimizeArgs {
  std::string spec_file;
  std::string out_dir;
  int threads = 0;
  bool force_new = false;
  bool no_report = false;
  bool quiet = false;
};
CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& args);
int optimize_command(const OptimizeArgs& args);

struct ReportArgs {
  std::string dir;
};

CLI::App* add_report_command(CLI::App& app, ReportArgs& args);
int report_command(const ReportArgs& args);

// The ranges file `flywheel ranges` reads unless --ranges says otherwise (from the
// repository root).
inline constexpr const char* kDefaultRangesFile = "docs/validation/public-ranges.yaml";

struct RangesArgs {
  std::vector<std::string> scenarios;  // empty: every scenario of the ranges file
  std::string ranges = kDefaultRangesFile;
  std::string kind;
  std::string replicates = "40";  // validated by the loader as simulation.replicates
  int threads = 0;
  std::string markdown;  // write the page here
  std::string check;     // compare the page with this file
  bool quiet = false;
};

CLI::App* add_ranges_command(CLI::App& app, RangesArgs& args);

struct ServeArgs {
  std::string scenario_file;
  std::string host = "127.0.0.1";
  int port = 8765;
  bool open = false;
  std::vector<std::string> params;
  double max_person_months = 1.5e8;
  int threads = 0;
};
CLI::App* add_serve_command(CLI::App& app, ServeArgs& args);
int serve_command(const ServeArgs& args);
// Exit code 1: --check found the page stale or a row out of range without a reason.
int ranges_command(const RangesArgs& args);

struct CalibrateArgs {
  std::string spec_file;
  std::string out_dir;
  std::string shard;  // "k/N", or empty
  bool fold = false;
  int threads = 0;
  bool dry_run = false;
  bool quiet = false;
};

CLI::App* add_calibrate_command(CLI::App& app, CalibrateArgs& args);
int calibrate_command(const CalibrateArgs& args);

// Shared by the commands that run scenarios (run_command.cpp).
std::vector<Override> run_overrides(std::vector<std::string> sets, const std::string& replicates,
                                    const std::string& seed);
std::string folder_name(const std::string& scenario_name);
// expected.csv of the scenario's mean-field twin, or "" with a note on stderr (unless quiet)
// when the twin cannot express it: a run never fails for its twin's sake.
std::string expected_csv_or_note(const Scenario& scenario, bool quiet);
int check_out_dir(const std::filesystem::path& dir, bool force,
                  const std::vector<std::string>& outputs);
// Run options with `threads` and a callback that moves `progress` (see progress.hpp).
class Progress;
RunOptions progress_options(int threads, Progress& progress);

// Prints each scenario warning on stderr as "flywheel: warning: file:line:col: path: message".
// Always, --quiet or not: a warning says the results cannot mean what the scenario's name says.
void print_warnings(const std::vector<Diagnostic>& warnings);

// Adds the repeatable `--set KEY.PATH=VALUE` option.
void add_set_option(CLI::App& command, std::vector<std::string>& sets);

}  // namespace flywheel::cli
