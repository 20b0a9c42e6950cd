#include "commands.hpp"

#include <fmt/format.h>

namespace flywheel::cli {

void add_set_option(CLI::App& command, std::vector<std::string>& sets) {
  command
      .add_option("--set", sets,
                  "Override one scenario parameter, e.g. --set strategy.plg.min_seats=2 "
                  "(repeatable; the value is YAML: a number, a word or a [flow, list])")
      ->type_name("KEY.PATH=VALUE")
      ->allow_extra_args(false);  // one value per --set, so the scenario file is never swallowed
}

void print_warnings(const std::vector<Diagnostic>& warnings) {
  for (const Diagnostic& warning : warnings) {
    fmt::print(stderr, "flywheel: warning: {}\n", warning.to_string());
  }
}

}  // namespace flywheel::cli
