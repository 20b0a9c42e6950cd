// `flywheel compare A.yaml B.yaml [C.yaml ...]`: every scenario with the same seed (common
// random numbers), each variant paired by replicate with A; writes compare.json, compare.csv,
// compare_months.csv, each side's mean-field twin (expected_a.csv, expected_b.csv, ...) and
// report.html and prints one verdict per line and a bottom line per variant.
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
      "Run scenario A and one or more variants B, C, ... with the same seed and random streams "
      "(common random numbers) and compare each with A: means, paired difference and relative "
      "lift with 95% intervals, P(B>A), a one-line verdict each, and a bottom line (gross profit "
      "- spend, cash low point, payback month of the difference); writes compare.json, "
      "compare.csv, compare_months.csv and report.html");
  command
      ->add_option("SCENARIOS", args.scenarios,
                   "Scenario A (the baseline), then the variants B, C, ... (YAML)")
      ->required()
      ->expected(2, 26);
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
                   "Metrics to compare (default: arr_usd accounts_paying nrr_annual "
                   "logo_churn_t12m cash_usd k_factor), and outputs as sweeps write them, e.g. "
                   "gross_profit_usd@sum:1-36 (cumulative), compared at their last month")
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
  std::vector<ScenarioSource> sources;
  for (const std::string& file : args.scenarios) sources.push_back(ScenarioSource{file, {}});
  const ComparePlan plan =
      plan_comparison(sources, run_overrides(args.sets, args.replicates, args.seed), args.metrics,
                      args.months);
  print_warnings(plan.warnings);
  const std::size_t n = plan.sides.size();
  std::string names = plan.a().name;
  for (std::size_t i = 1; i < n; ++i) names += "-vs-" + plan.sides[i].name;
  const fs::path out_dir = args.out_dir.empty() ? fs::path("out") / folder_name("compare-" + names)
                                                : fs::path(args.out_dir);
  // expected_a.csv, expected_b.csv, ...: each side's mean-field twin, drawn by the report.
  std::vector<std::string> expected_files;
  for (std::size_t i = 0; i < 26; ++i) {
    std::string letter = side_label(i);
    letter[0] = static_cast<char>(letter[0] - 'A' + 'a');
    expected_files.push_back("expected_" + letter + ".csv");
  }
  std::vector<std::string> outputs = {"compare.json", "compare.csv", "compare_months.csv",
                                      "report.html"};
  outputs.insert(outputs.end(), expected_files.begin(), expected_files.end());
  if (const int code = check_out_dir(out_dir, args.force, outputs); code != 0) return code;
  if (!args.quiet) {
    if (n == 2) {
      fmt::print(stderr, "flywheel: comparing {} (A) and {} (B): {} paired replicates\n",
                 plan.a().name, plan.sides[1].name, plan.a().simulation.replicates);
    } else {
      std::string list;
      for (std::size_t i = 0; i < n; ++i) {
        list += fmt::format("{}{} ({})", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                            plan.sides[i].name, side_label(i));
      }
      fmt::print(stderr, "flywheel: comparing {}: each with A, {} paired replicates\n", list,
                 plan.a().simulation.replicates);
    }
  }
  std::vector<std::string> expected;
  for (const Scenario& side : plan.sides) expected.push_back(expected_csv_or_note(side, args.quiet));
  Progress progress(!args.quiet && stderr_is_terminal());
  const CompareJob job = run_comparison(plan, progress_options(args.threads, progress));
  progress.clear();
  const CompareTexts texts = compare_texts(plan, job);
  try {
    fs::create_directories(out_dir);
    fs::remove(out_dir / "compare.json");  // the marker of a complete comparison goes last
    write_file_atomic(out_dir / "compare.csv", texts.csv);
    write_file_atomic(out_dir / "compare_months.csv", texts.months_csv);
    for (std::size_t i = 0; i < expected_files.size(); ++i) {
      if (i >= n || expected[i].empty()) {
        fs::remove(out_dir / expected_files[i]);  // an older one would not match this comparison
      } else {
        write_file_atomic(out_dir / expected_files[i], expected[i]);
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
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += fmt::format("{}: {}\n", side_label(i), plan.sides[i].name);
  text += "\n";
  for (const std::string& line : texts.verdicts) text += line + "\n";
  text += "\nbottom line (gross profit - spend; cash low point; payback of the difference):\n";
  for (const std::string& line : texts.bottom_lines) text += line + "\n";
  std::cout << text << "\noutput: " << out_dir.string() << "\n" << std::flush;
  return 0;
}

}  // namespace flywheel::cli
