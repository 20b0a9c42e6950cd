#include "commands.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace flywheel::cli {

CLI::App* add_validate_command(CLI::App& app, ValidateArgs& args) {
  CLI::App* command = app.add_subcommand(
      "validate",
      "Check a scenario without running it: prints a one-line overview, or every problem found "
      "(file:line:column: key.path: problem; expected ...) and exits with code 2. Warnings "
      "(a scenario that runs but cannot earn, a lever with no effect, a target out of reach) "
      "print on stderr and do not change the exit code");
  command->add_option("SCENARIO", args.scenario_file, "Scenario file (YAML)")->required();
  add_set_option(*command, args.sets);
  return command;
}

int validate_command(const ValidateArgs& args) {
  std::vector<Diagnostic> warnings;
  const Scenario scenario =
      load_scenario(args.scenario_file, parse_overrides(args.sets), &warnings);
  fmt::print("{}: ok ({}, {} months, {} steps, {} people, {} segments)\n", args.scenario_file,
             scenario.name, scenario.simulation.months, to_string(scenario.simulation.step),
             scenario.market.people, scenario.market.segments.size());
  std::fflush(stdout);  // the overview first, then what it cannot do
  print_warnings(warnings);
  return 0;
}

}  // namespace flywheel::cli
