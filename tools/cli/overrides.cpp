#include "commands.hpp"

#include <flywheel/errors.hpp>

namespace flywheel::cli {

void add_set_option(CLI::App& command, std::vector<std::string>& sets) {
  command
      .add_option("--set", sets,
                  "Override one scenario parameter, e.g. --set strategy.plg.min_seats=2 "
                  "(repeatable; the value is YAML: a number, a word or a [flow, list])")
      ->type_name("KEY.PATH=VALUE")
      ->allow_extra_args(false);  // one value per --set, so the scenario file is never swallowed
}

std::vector<Override> parse_overrides(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  std::vector<Diagnostic> problems;
  for (const std::string& text : sets) {
    try {
      overrides.push_back(parse_override(text));
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return overrides;
}

}  // namespace flywheel::cli
