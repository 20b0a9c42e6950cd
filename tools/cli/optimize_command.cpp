// `flywheel optimize SPEC.yaml` (docs/optimize.md): decision variables searched with NLopt under
// an uncertainty design with common random numbers; writes best.yaml, candidates.csv, trace.csv,
// frontier.csv, optimize.json and report.html into the output folder, resumable from its
// candidate cache.
#include "commands.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/experiments/optimize.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <cmath>
#include <iostream>
#include <memory>

namespace flywheel::cli {

namespace fs = std::filesystem;

CLI::App* add_optimize_command(CLI::App& app, OptimizeArgs& args) {
  CLI::App* command = app.add_subcommand(
      "optimize",
      "Optimise decision variables (scenario key paths) for an objective such as "
      "P(arr_usd@24 >= 5e6) under constraints such as P(cash_usd@min >= 0) >= 0.9, over an "
      "uncertainty design with common random numbers (NLopt); writes best.yaml, candidates.csv, "
      "trace.csv, frontier.csv and report.html; a second run resumes from the candidate cache");
  command->add_option("SPEC", args.spec_file, "Optimize spec (YAML)")->required();
  command->add_option("--out", args.out_dir, "Output folder (default: out/<spec name>)")
      ->type_name("DIR");
  command->add_option("--threads", args.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--force-new", args.force_new, "Discard the candidate cache and start over");
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--quiet", args.quiet, "No progress messages on stderr");
  return command;
}

int optimize_command(const OptimizeArgs& args) {
  const OptimizeSpec spec = load_optimize_spec(args.spec_file);
  const fs::path dir = args.out_dir.empty()
                           ? fs::path("out") / folder_name(fs::path(args.spec_file).stem().string())
                           : fs::path(args.out_dir);
  std::unique_ptr<tbb::global_control> threads;
  if (args.threads > 0) {
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(args.threads));
  }
  OptimizeOptions options;
  options.force_new = args.force_new;
  if (!args.quiet) options.progress = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  const OptimizeResult r = run_optimize(spec, dir, options);
  if (!args.no_report) {
    const std::string problem = try_write_optimize_report(dir);
    if (!problem.empty()) fmt::print(stderr, "flywheel: warning: no report.html: {}\n", problem);
  }
  const OptimizeRun& main = r.runs.front();
  const Candidate& best = r.candidates[static_cast<std::size_t>(main.best)];
  std::string text = fmt::format("best of {} candidates ({} simulated, {} from the cache):\n",
                                 r.candidates.size(), r.simulated, r.cached);
  for (std::size_t i = 0; i < spec.decisions.size(); ++i)
    text += fmt::format("  {} = {}\n", spec.decisions[i].path, best.values[i]);
  text += fmt::format("  {} {} = {:.6g} [{:.6g}, {:.6g}] (95%)\n",
                      spec.maximize ? "maximize" : "minimize", spec.objective.text,
                      best.objective.value, best.objective.lo, best.objective.hi);
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    text += fmt::format("  {}: {:.6g} [{:.6g}, {:.6g}]\n", spec.constraints[k].text,
                        best.constraints[k].value, best.constraints[k].lo,
                        best.constraints[k].hi);
  }
  bool feasible = best.error.empty();
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    const OptimizeConstraint& c = spec.constraints[k];
    const double v = best.constraints[k].value;
    if (!(c.at_most ? v <= c.bound : v >= c.bound)) feasible = false;
  }
  if (!feasible) text += "  (no candidate met every constraint: this one misses them least)\n";
  if (r.runner_up.candidate >= 0) {
    text += fmt::format(
        "  vs the runner-up (candidate {}): {:+.6g} [{:+.6g}, {:+.6g}] paired{}\n",
        r.runner_up.candidate, r.runner_up.difference, r.runner_up.lo, r.runner_up.hi,
        r.runner_up.distinguishable
            ? ""
            : "; cannot be told apart: add replicates or design samples");
  }
  std::cout << text << fmt::format("output: {}\n", (dir / "best.yaml").string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
