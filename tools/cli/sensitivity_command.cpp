// `flywheel sensitivity SPEC.yaml`: a saltelli or morris sweep, run (or resumed) like `sweep`,
// then its Sobol or Morris indices; `--analyse DIR` analyses a sweep finished elsewhere (a
// cluster run of the same spec with `flywheel sweep --shard`, merged).
#include "commands.hpp"

#include "mpi_farm.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/sweep.hpp>
#include <flywheel/experiments/sweep_analysis.hpp>
#include <flywheel/experiments/sweep_store.hpp>

#include <fmt/format.h>

#include <cmath>
#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

// Sobol shares to 3 decimals; Morris effects to 4 significant digits with their unit.
std::string interval_text(const SensitivityRow& r) {
  if (!std::isfinite(r.estimate)) return "undefined";
  const bool share = r.index == "S1" || r.index == "ST";
  auto number = [&](double x) { return share ? fmt::format("{:.3f}", x) : fmt::format("{:.4g}", x); };
  const std::string unit = r.unit.empty() ? "" : " " + r.unit;
  if (!std::isfinite(r.lo)) return number(r.estimate) + unit;
  return fmt::format("{} [{}, {}]{}", number(r.estimate), number(r.lo), number(r.hi), unit);
}

// One line per parameter: its indices side by side.
std::string indices_table(const std::vector<SensitivityRow>& rows) {
  std::string text;
  std::string group;
  for (std::size_t i = 0; i < rows.size();) {
    const SensitivityRow& r = rows[i];
    const std::string here = fmt::format("policy {} · {}", r.policy, r.output);
    if (here != group) {
      text += "\n" + here + "\n";
      group = here;
    }
    std::string line = fmt::format("  {:<44}", r.parameter);
    for (; i < rows.size() && rows[i].parameter == r.parameter && rows[i].output == r.output &&
           rows[i].policy == r.policy;
         ++i) {
      line += fmt::format("  {} {:<24}", rows[i].index, interval_text(rows[i]));
    }
    text += line + "\n";
  }
  return text;
}

int analyse(const fs::path& dir, bool report) {
  const std::vector<SensitivityRow> rows = write_sensitivity_files(dir);
  if (const auto id = SweepStore(dir).identity(); id && id->design == "saltelli") {
    for (const std::string& w : sensitivity_warnings(rows, id->design_samples))
      fmt::print(stderr, "flywheel: warning: {}\n", w);
  }
  if (report) write_sweep_report_or_warn(dir, false);  // now with the indices
  std::cout << indices_table(rows)
            << fmt::format("\n(95% bootstrap intervals{})\noutput: {}\n",
                           rows.empty() || rows.front().index == "S1" || rows.front().index == "ST"
                               ? ""
                               : "; mu_star, mu, sigma: output unit per the parameter's whole "
                                 "range; mu_star_scaled: in output standard deviations",
                           (dir / "sensitivity.csv").string())
            << std::flush;
  return 0;
}

}  // namespace

CLI::App* add_sensitivity_command(CLI::App& app, SensitivityArgs& args) {
  CLI::App* command = app.add_subcommand(
      "sensitivity",
      "Global sensitivity of the outputs to the uncertainties: runs a sweep whose design is "
      "saltelli (Sobol first-order and total indices, Jansen estimators) or morris (elementary "
      "effects mu*, sigma), with 95% bootstrap intervals; writes sensitivity.csv and .json "
      "beside the sweep's files");
  command->add_option("SPEC", args.sweep.spec_file,
                      "Sweep spec with design.method saltelli or morris");
  command
      ->add_option("--analyse", args.analyse_dir,
                   "Only analyse DIR, a finished (merged) saltelli or morris sweep folder")
      ->type_name("DIR");
  command->add_option("--out", args.sweep.out_dir, "Sweep folder (default: out/<spec name>)")
      ->type_name("DIR");
  command->add_flag("--retry-failed", args.sweep.retry_failed, "Run the failed units again");
  command->add_flag("--force-new", args.sweep.force_new,
                    "Discard what the folder holds and start over");
  command->add_option("--threads", args.sweep.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--quiet", args.sweep.quiet, "No progress messages on stderr");
  command->add_flag("--no-report", args.sweep.no_report, "Do not write report.html");
  command->add_flag("--dry-run", args.sweep.dry_run,
                    "Check the spec, print the points and a time estimate, write nothing");
  add_sweep_override_options(*command, args.sweep);
  return command;
}

int sensitivity_command(const SensitivityArgs& args) {
  const bool has_spec = !args.sweep.spec_file.empty();
  if (has_spec == !args.analyse_dir.empty()) {
    throw InputError({Diagnostic{"<command line>", 0, 0, "",
                                 "expected either SPEC (run and analyse) or --analyse DIR"}});
  }
  if (!has_spec) return analyse(args.analyse_dir, true);
  check_sensitivity_design(load_sweep_spec(args.sweep.spec_file, sweep_overrides(args.sweep)));
  const int code = sweep_command(args.sweep);
  if (args.sweep.dry_run) return code;
  if (mpi_world().rank != 0 || (code != 0 && code != 3)) return code;
  analyse(sweep_out_dir(args.sweep), !args.sweep.no_report);
  return code;
}

}  // namespace flywheel::cli
