// `flywheel expect SCENARIO`: the scenario's mean-field twin (include/flywheel/meanfield/
// expect.hpp, docs/mean_field.md), one deterministic evaluation in milliseconds; writes
// expected.csv and expected.json and prints the headline metrics and the twin's approximations.
#include "commands.hpp"

#include "run_report.hpp"
#include "table.hpp"

#include <flywheel/experiments/expect_sequence.hpp>
#include <flywheel/experiments/run_sequence.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <iostream>
#include <string_view>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

// Column titles of kExpectHeadline, in its order.
constexpr std::array<std::string_view, kExpectHeadline.size()> kTitles = {
    "ARR", "MRR", "paying", "active users", "logo churn/mo", "NRR 12m", "cash", "K-factor"};

std::string expect_table(const meanfield::ExpectedRun& run) {
  std::vector<std::vector<std::string>> rows(1, {"month"});
  for (const std::string_view title : kTitles) rows[0].emplace_back(title);
  for (int month : report_months(static_cast<int>(run.months.size()))) {
    std::vector<std::string> row = {std::to_string(month)};
    for (const Metric metric : kExpectHeadline) {
      const double v = run.months[static_cast<std::size_t>(month - 1)][static_cast<int>(metric)];
      const std::string_view unit = metric_infos()[static_cast<int>(metric)].unit;
      // Expected counts are fractional: whole people and accounts read better from 100 up.
      const bool count = !unit.starts_with("USD") && unit != "ratio";
      row.push_back(format_in_unit(count && std::abs(v) >= 100 ? std::round(v) : v, unit));
    }
    rows.push_back(std::move(row));
  }
  return render_table(rows) +
         "(expected values of the mean-field twin: no replicates, no randomness; paying = paying "
         "accounts; logo churn = trailing 12 months as a monthly rate; n/a = undefined, e.g. "
         "annual ratios in the first year)\n";
}

std::string approximations_text(const meanfield::ExpectedRun& run) {
  if (run.approximations.empty()) return "\napproximations: none for this scenario\n";
  std::string out = "\napproximations (docs/mean_field.md):\n";
  for (const meanfield::Approximation& a : run.approximations) {
    out += fmt::format("  {}: {}\n", a.mechanism, a.note);
  }
  return out;
}

}  // namespace

CLI::App* add_expect_command(CLI::App& app, ExpectArgs& args) {
  CLI::App* command = app.add_subcommand(
      "expect",
      "The scenario's mean-field twin: its expected trajectory as deterministic differential "
      "equations (milliseconds, no replicates); writes expected.csv (month,metric,value) and "
      "expected.json, and prints the headline metrics and what the twin approximates");
  command->add_option("SCENARIO", args.scenario_file, "Scenario file (YAML)")->required();
  command->add_option("--out", args.out_dir, "Output folder (default: out/expect-<scenario name>)")
      ->type_name("DIR");
  add_set_option(*command, args.sets);
  command->add_flag("--quiet", args.quiet,
                    "No informational messages on stderr (the table still prints on stdout; "
                    "warnings and errors still print on stderr)");
  command->add_flag("--force", args.force, "Replace earlier expected.csv and expected.json");
  return command;
}

int expect_command(const ExpectArgs& args) {
  std::vector<Diagnostic> warnings;
  const Scenario scenario =
      load_source(ScenarioSource{args.scenario_file, {}}, parse_overrides(args.sets), &warnings);
  print_warnings(warnings);
  const fs::path out_dir = args.out_dir.empty()
                               ? fs::path("out") / folder_name("expect-" + scenario.name)
                               : fs::path(args.out_dir);
  if (const int code = check_out_dir(out_dir, args.force, {"expected.csv", "expected.json"});
      code != 0)
    return code;
  if (!args.quiet) {
    fmt::print(stderr, "flywheel: mean-field twin of {}: {} months\n", scenario.name,
               scenario.simulation.months);
  }
  const meanfield::ExpectedRun run = meanfield::expect(scenario);
  const ExpectTexts texts = expect_texts(scenario, run);
  try {
    fs::create_directories(out_dir);
    write_file_atomic(out_dir / "expected.csv", texts.expected_csv);
    write_file_atomic(out_dir / "expected.json", texts.expected_json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return 1;
  }
  std::cout << fmt::format("{}: mean-field twin, {} months\n\n", scenario.name, run.months.size())
            << expect_table(run) << approximations_text(run)
            << fmt::format("\noutput: {}\n", out_dir.string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
