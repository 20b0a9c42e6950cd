#include "commands.hpp"

#include <flywheel/spec/metrics.hpp>

#include <iostream>

namespace flywheel::cli {

CLI::App* add_params_command(CLI::App& app) {
  return app.add_subcommand(
      "params",
      "Print the reference of every scenario parameter (path, type, unit, range, "
      "default, meaning) as Markdown");
}

CLI::App* add_metrics_command(CLI::App& app) {
  return app.add_subcommand(
      "metrics", "Print the reference of every reported metric (name, unit, meaning) as Markdown");
}

namespace {
int print(const std::string& text) {
  std::cout << text;
  std::cout.flush();
  return std::cout ? 0 : 1;
}
}  // namespace

int params_command() {
  return print(parameter_reference_markdown());
}
int metrics_command() {
  return print(metrics_reference_markdown());
}

}  // namespace flywheel::cli
