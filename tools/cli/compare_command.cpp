// `flywheel compare A.yaml B.yaml`: both scenarios with the same seed (common random numbers),
// paired by replicate; writes compare.json, compare.csv, compare_months.csv, each side's
// mean-field twin (expected_a.csv, expected_b.csv) and report.html and prints one verdict per
// line.
#include "commands.hpp"

#include "progress.hpp"

#include <flywheel/experiments/run_sequence.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <iostream>
#include <utility>

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
                   "Metrics to compare (default: arr_usd accounts_paying nrr_annual logo_churn_t12m cash_usd k_factor)")
      ->delimiter(',')
      ->type_name("NAME,...");
  command->add_option("--months", args.months, "Months to compare (default: 12, 24, 36, horizon)")
      ->delimiter(',')
      ->type_name("M,...");
  add_set_option(*command, args.sets);
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--quiet", args.quiet,
                    "No progress or informational messages on stderr (warnings and errors still "
                    "print)");
  command->add_flag("--force", args.force, "Replace an earlier comparison in the output folder");
  return command;
}

int compare_command(const CompareArgs& args) {
  const ComparePlan plan = plan_comparison(ScenarioSource{args.scenario_a, {}},
                                           ScenarioSource{args.scenario_b, {}},
                                           run_overrides(args.sets, args.replicates, args.seed),
                                           args.metrics, args.months);
  print_warnings(plan.warnings);
  const Scenario& a = plan.a;
  const Scenario& b = plan.b;
  const fs::path out_dir =
      args.out_dir.empty() ? fs::path("out") / folder_name("compare-" + a.name + "-vs-" + b.name)
                           : fs::path(args.out_dir);
  if (const int code =
          check_out_dir(out_dir, args.force,
                        {"compare.json", "compare.csv", "compare_months.csv", "expected_a.csv",
                         "expected_b.csv", "report.html"});
      code != 0)
    return code;
  if (!args.quiet) {
    fmt::print(stderr, "flywheel: comparing {} (A) and {} (B): {} paired replicates\n", a.name,
               b.name, a.simulation.replicates);
  }
  // Each side's mean-field twin: expected_a.csv and expected_b.csv, drawn by the report.
  const std::string expected_a = expected_csv_or_note(a, args.quiet);
  const std::string expected_b = expected_csv_or_note(b, args.quiet);
  Progress progress(!args.quiet && stderr_is_terminal());
  const CompareJob job = run_comparison(plan, progress_options(args.threads, progress));
  progress.clear();
  const CompareTexts texts = compare_texts(plan, job);
  try {
    fs::create_directories(out_dir);
    fs::remove(out_dir / "compare.json");  // the marker of a complete comparison goes last
    write_file_atomic(out_dir / "compare.csv", texts.csv);
    write_file_atomic(out_dir / "compare_months.csv", texts.months_csv);
    for (const auto& [name, text] : {std::pair{"expected_a.csv", &expected_a},
                                     std::pair{"expected_b.csv", &expected_b}}) {
      if (text->empty()) {
        fs::remove(out_dir / name);  // an older one would not match this comparison
      } else {
        write_file_atomic(out_dir / name, *text);
      }
    }
    write_file_atomic(out_dir / "compare.json", texts.json);
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
  for (const std::string& line : texts.verdicts) text += line + "\n";
  std::cout << text << "\noutput: " << out_dir.string() << "\n" << std::flush;
  return 0;
}

}  // namespace flywheel::cli
