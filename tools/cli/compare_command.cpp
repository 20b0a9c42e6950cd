// `flywheel compare A.yaml B.yaml`: both scenarios with the same seed (common random numbers),
// paired by replicate; writes compare.json, compare.csv, compare_months.csv and report.html and
// prints one verdict per line.
#include "commands.hpp"

#include <flywheel/experiments/compare.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args) {
  CLI::App* command = app.add_subcommand(
      "compare",
      "Run scenarios A and B with the same seed and random streams (common random numbers) and "
      "compare key metrics: means, paired difference and relative lift with 95% intervals, "
      "P(B>A), and a one-line verdict each; writes compare.json, compare.csv, compare_months.csv "
      "and report.html");
  command->add_option("A", args.scenario_a, "Scenario A, the baseline (YAML)")->required();
  command->add_option("B", args.scenario_b, "Scenario B, the variant (YAML)")->required();
  command->add_option("--replicates", args.replicates, "Replicates of each (paired)")
      ->type_name("N");
  command->add_option("--seed", args.seed, "Root seed of both")->type_name("S");
  command->add_option("--threads", args.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--out", args.out_dir, "Output folder (default: out/compare-A-vs-B)")
      ->type_name("DIR");
  command
      ->add_option("--metrics", args.metrics,
                   "Metrics to compare (default: arr_usd accounts_paying logo_churn nrr k_factor)")
      ->delimiter(',')
      ->type_name("NAME,...");
  command->add_option("--months", args.months, "Months to compare (default: 12, 24, 36, horizon)")
      ->delimiter(',')
      ->type_name("M,...");
  add_set_option(*command, args.sets);
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--quiet", args.quiet, "No progress or informational messages on stderr");
  command->add_flag("--force", args.force, "Replace an earlier comparison in the output folder");
  return command;
}

int compare_command(const CompareArgs& args) {
  const std::vector<Override> overrides = run_overrides(args.sets, args.replicates, args.seed);
  const Scenario a = load_scenario(args.scenario_a, overrides);
  const Scenario b = load_scenario(args.scenario_b, overrides);
  const std::vector<Metric> metrics = compare_metrics_by_name(args.metrics);
  const std::vector<int> months =
      args.months.empty() ? default_compare_months(a.simulation.months) : args.months;
  check_pairable(a, b, months);
  const fs::path out_dir =
      args.out_dir.empty() ? fs::path("out") / folder_name("compare-" + a.name + "-vs-" + b.name)
                           : fs::path(args.out_dir);
  if (const int code =
          check_out_dir(out_dir, args.force,
                        {"compare.json", "compare.csv", "compare_months.csv", "report.html"});
      code != 0)
    return code;
  if (!args.quiet) {
    fmt::print(stderr, "flywheel: comparing {} (A) and {} (B): {} paired replicates\n", a.name,
               b.name, a.simulation.replicates);
  }
  const RunResult run_a = run_with_progress(a, args.threads, args.quiet);
  const RunResult run_b = run_with_progress(b, args.threads, args.quiet);
  const RunSummary summary_a = summarize_run(run_a), summary_b = summarize_run(run_b);
  const std::vector<Comparison> rows = compare_runs(summary_a, summary_b, metrics, months);
  try {
    fs::create_directories(out_dir);
    fs::remove(out_dir / "compare.json");  // the marker of a complete comparison goes last
    write_file_atomic(out_dir / "compare.csv", compare_csv_text(rows));
    write_file_atomic(out_dir / "compare_months.csv",
                      compare_months_csv_text(summary_a, summary_b, metrics));
    write_file_atomic(out_dir / "compare.json", compare_json_text(run_a, run_b, rows));
    if (args.no_report) {
      fs::remove(out_dir / "report.html");
    } else {
      write_compare_report(out_dir);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return 1;
  }
  std::string text = fmt::format("A: {}\nB: {}\n\n", a.name, b.name);
  for (const Comparison& c : rows) text += verdict(c) + "\n";
  std::cout << text << "\noutput: " << out_dir.string() << "\n" << std::flush;
  return 0;
}

}  // namespace flywheel::cli
