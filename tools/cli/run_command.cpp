#include "commands.hpp"

#include "progress.hpp"
#include "run_report.hpp"

#include <flywheel/experiments/expect_sequence.hpp>
#include <flywheel/experiments/run_sequence.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>
#include <flywheel/output/statistics.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

// The scenario name made safe as one folder name (no separators, no "..").
std::string folder_name(const std::string& scenario_name) {
  std::string name;
  for (char c : scenario_name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    name += plain ? c : '_';
  }
  if (name.empty() || name == "." || name == "..") name = "run";
  return name;
}

// --replicates and --seed are overrides like --set, so the loader checks them the same way.
std::string expected_csv_or_note(const Scenario& scenario, bool quiet) {
  std::string why;
  const std::optional<meanfield::ExpectedRun> expected = try_expect(scenario, why);
  if (expected) return meanfield::expected_csv(*expected);
  if (!quiet) {
    fmt::print(stderr, "flywheel: no expected.csv (the mean-field twin cannot express {}): {}\n",
               scenario.name, why);
  }
  return {};
}

std::vector<Override> run_overrides(std::vector<std::string> sets, const std::string& replicates,
                                    const std::string& seed) {
  if (!replicates.empty()) sets.push_back("simulation.replicates=" + replicates);
  if (!seed.empty()) sets.push_back("simulation.seed=" + seed);
  return parse_overrides(sets);
}

// Never replaces a file silently: any of the `outputs` already in DIR (an earlier run, one
// killed half-way, or another program's file of the same name) needs --force. Returns an exit
// code, 0 when the folder may be used.
int check_out_dir(const fs::path& dir, bool force, const std::vector<std::string>& outputs) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    fmt::print(stderr, "flywheel: {} exists and is not a folder; choose another with --out\n",
               dir.string());
    return 2;
  }
  for (const std::string& name : outputs) {
    if (force || !fs::exists(fs::symlink_status(dir / name, ec))) continue;
    fmt::print(stderr,
               "flywheel: {} already holds {} (from an earlier run?); pass --force to replace "
               "it, or --out DIR to write elsewhere\n",
               dir.string(), name);
    return 2;
  }
  return 0;
}

// Runs a job with a progress bar on a terminal (not with --quiet).
RunOptions progress_options(int threads, Progress& progress) {
  RunOptions options;
  options.threads = threads;
  options.on_progress = [&progress](int done, int total) { progress.update(done, total); };
  return options;
}

CLI::App* add_run_command(CLI::App& app, RunArgs& args) {
  CLI::App* command = app.add_subcommand(
      "run",
      "Run a scenario's Monte Carlo replicates, write the output folder (summary.json, "
      "timeseries.csv, cohorts.csv, expected.csv (the mean-field twin), report.html, optionally "
      "replicates.csv) and print a short summary table "
      "on stdout");
  command->add_option("SCENARIO", args.scenario_file, "Scenario file (YAML)")->required();
  command
      ->add_option("--replicates", args.replicates,
                   "Number of replicates (same as --set simulation.replicates=N)")
      ->type_name("N");
  command->add_option("--seed", args.seed, "Root seed (same as --set simulation.seed=S)")
      ->type_name("S");
  command
      ->add_option("--threads", args.threads,
                   "Worker threads; 0 = all cores (never changes the results)")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--out", args.out_dir, "Output folder (default: out/<scenario name>)")
      ->type_name("DIR");
  add_set_option(*command, args.sets);
  command->add_flag("--replicates-csv", args.replicates_csv,
                    "Also write replicates.csv: every metric of every replicate and month");
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--quiet", args.quiet,
                    "No progress or informational messages on stderr (the summary table "
                    "still prints on stdout; warnings and errors still print on stderr)");
  command->add_flag("--force", args.force, "Replace an earlier run in the output folder");
  return command;
}

int run_command(const RunArgs& args) {
  std::vector<Diagnostic> warnings;
  const Scenario scenario = load_source(ScenarioSource{args.scenario_file, {}},
                                        run_overrides(args.sets, args.replicates, args.seed),
                                        &warnings);
  print_warnings(warnings);
  const fs::path out_dir =
      args.out_dir.empty() ? fs::path("out") / folder_name(scenario.name) : fs::path(args.out_dir);
  if (const int code = check_out_dir(
          out_dir, args.force,
          {"summary.json", "timeseries.csv", "cohorts.csv", "replicates.csv", "expected.csv",
           "report.html"});
      code != 0)
    return code;
  if (!args.quiet) {
    fmt::print(stderr, "flywheel: running {}: {} replicates of {} months\n", scenario.name,
               scenario.simulation.replicates, scenario.simulation.months);
  }
  // The twin first: milliseconds, and a scenario it cannot express is known before the run.
  std::string expected_csv = expected_csv_or_note(scenario, args.quiet);
  Progress progress(!args.quiet && stderr_is_terminal());
  const RunJob job = run_job(scenario, progress_options(args.threads, progress));
  progress.clear();
  try {
    write_run_outputs(out_dir, job.run, job.summary,
                      OutputOptions{args.replicates_csv, std::move(expected_csv)});
    // From the files just written, as `flywheel report DIR` would; an old page goes otherwise.
    if (args.no_report) {
      fs::remove(out_dir / "report.html");
    } else {
      write_run_report(out_dir);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return 1;
  }
  std::cout << run_report(job.run, job.summary, out_dir.string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
