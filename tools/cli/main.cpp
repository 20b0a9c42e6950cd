// `flywheel`: the command-line entry. Parses arguments, calls the library, prints; maps
// failures to exit codes: 0 ok, 2 bad input (scenario or arguments), 1 internal error.
#include "commands.hpp"
#include "mpi_farm.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>

#include <fmt/format.h>

#include <new>
#include <string>

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

struct Commands {
  flywheel::cli::RunArgs run_args;
  flywheel::cli::ValidateArgs validate_args;
  flywheel::cli::ExpectArgs expect_args;
  flywheel::cli::CompareArgs compare_args;
  flywheel::cli::SweepArgs sweep_args;
  flywheel::cli::MergeArgs merge_args;
  flywheel::cli::SensitivityArgs sensitivity_args;
  flywheel::cli::DiscoverArgs discover_args;
  flywheel::cli::OptimizeArgs optimize_args;
  flywheel::cli::ReportArgs report_args;
  flywheel::cli::RangesArgs ranges_args;
  flywheel::cli::ServeArgs serve_args;
  flywheel::cli::CalibrateArgs calibrate_args;
  CLI::App* run = nullptr;
  CLI::App* validate = nullptr;
  CLI::App* expect = nullptr;
  CLI::App* compare = nullptr;
  CLI::App* sweep = nullptr;
  CLI::App* merge = nullptr;
  CLI::App* sensitivity = nullptr;
  CLI::App* discover = nullptr;
  CLI::App* optimize = nullptr;
  CLI::App* report = nullptr;
  CLI::App* ranges = nullptr;
  CLI::App* serve = nullptr;
  CLI::App* calibrate = nullptr;
  CLI::App* params = nullptr;
  CLI::App* metrics = nullptr;
};

void configure(CLI::App& app, Commands& commands) {
  app.set_version_flag("--version", std::string("flywheel ") + flywheel::kVersion);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 2 bad input (scenario, options or an existing output folder), "
      "1 internal error (or a failed `ranges --check`), 3 a sweep finished with failed "
      "points, 4 `calibrate --fold` found shard files missing.\nRun `flywheel COMMAND --help` for "
      "the options of a command.");
  commands.run = flywheel::cli::add_run_command(app, commands.run_args);
  commands.validate = flywheel::cli::add_validate_command(app, commands.validate_args);
  commands.expect = flywheel::cli::add_expect_command(app, commands.expect_args);
  commands.compare = flywheel::cli::add_compare_command(app, commands.compare_args);
  commands.sweep = flywheel::cli::add_sweep_command(app, commands.sweep_args);
  commands.merge = flywheel::cli::add_merge_command(app, commands.merge_args);
  commands.sensitivity = flywheel::cli::add_sensitivity_command(app, commands.sensitivity_args);
  commands.discover = flywheel::cli::add_discover_command(app, commands.discover_args);
  commands.optimize = flywheel::cli::add_optimize_command(app, commands.optimize_args);
  commands.report = flywheel::cli::add_report_command(app, commands.report_args);
  commands.ranges = flywheel::cli::add_ranges_command(app, commands.ranges_args);
  commands.serve = flywheel::cli::add_serve_command(app, commands.serve_args);
  commands.calibrate = flywheel::cli::add_calibrate_command(app, commands.calibrate_args);
  commands.params = flywheel::cli::add_params_command(app);
  commands.metrics = flywheel::cli::add_metrics_command(app);
}

int dispatch(const Commands& commands) {
  if (commands.run->parsed()) return flywheel::cli::run_command(commands.run_args);
  if (commands.validate->parsed()) return flywheel::cli::validate_command(commands.validate_args);
  if (commands.expect->parsed()) return flywheel::cli::expect_command(commands.expect_args);
  if (commands.compare->parsed()) return flywheel::cli::compare_command(commands.compare_args);
  if (commands.sweep->parsed()) return flywheel::cli::sweep_command(commands.sweep_args);
  if (commands.merge->parsed()) return flywheel::cli::merge_command(commands.merge_args);
  if (commands.sensitivity->parsed())
    return flywheel::cli::sensitivity_command(commands.sensitivity_args);
  if (commands.discover->parsed())
    return flywheel::cli::discover_command(commands.discover_args);
  if (commands.optimize->parsed())
    return flywheel::cli::optimize_command(commands.optimize_args);
  if (commands.report->parsed()) return flywheel::cli::report_command(commands.report_args);
  if (commands.ranges->parsed())
    return flywheel::cli::ranges_command(commands.ranges_args);
  if (commands.serve->parsed()) return flywheel::cli::serve_command(commands.serve_args);
  if (commands.calibrate->parsed())
    return flywheel::cli::calibrate_command(commands.calibrate_args);
  if (commands.metrics->parsed()) return flywheel::cli::metrics_command();
  return flywheel::cli::params_command();
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app("flywheel " + std::string(flywheel::kVersion) +
               ": agent-based go-to-market simulator. Runs a YAML scenario many times and "
               "reports the distributions of ARR, churn, virality and the flywheel behind them.");
  Commands commands;
  try {
    configure(app, commands);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help and --version are "errors" with code 0; every real parse error is bad input.
      return app.exit(e) == 0 ? 0 : kExitBadInput;
    }
    return dispatch(commands);
  } catch (const flywheel::InputError& e) {
    if (flywheel::cli::mpi_world().rank != 0) return kExitBadInput;  // rank 0 reports it
    for (const flywheel::Diagnostic& d : e.diagnostics()) fmt::print(stderr, "{}\n", d.to_string());
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "flywheel: internal error: out of memory\n");
    return kExitInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: internal error: {}\n", e.what());
    return kExitInternal;
  }
}

int main(int argc, char** argv) {
  flywheel::cli::mpi_start(argc, argv);
  const int code = run_cli(argc, argv);
  flywheel::cli::mpi_stop();
  return code;
}
