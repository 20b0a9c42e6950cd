// `flywheel report DIR`: (re)writes DIR/report.html from the files of a run, compare, sweep or
// calibrate folder, e.g. after an upgrade, or for a sweep merged by hand.
#include "commands.hpp"

#include <flywheel/report/report.hpp>

#include <fmt/format.h>

#include <iostream>

namespace flywheel::cli {

CLI::App* add_report_command(CLI::App& app, ReportArgs& args) {
  CLI::App* command = app.add_subcommand(
      "report",
      "Write DIR/report.html, one self-contained page of interactive charts (opens offline), "
      "from the files of a run folder (summary.json, timeseries.csv), a compare folder "
      "(compare.json, compare_months.csv) or a sweep folder (sweep.json, points.csv, "
      "results.csv, sensitivity.csv) or a calibrate folder (calibration.json, posterior.csv, "
      "generations.csv, forecast.csv)");
  command->add_option("DIR", args.dir, "The folder")->required();
  return command;
}

int report_command(const ReportArgs& args) {
  const std::filesystem::path dir(args.dir);
  const ReportKind kind = write_report(dir);
  const char* what = kind == ReportKind::run       ? "run"
                     : kind == ReportKind::compare ? "compare"
                     : kind == ReportKind::sweep   ? "sweep"
                                                   : "calibrate";
  std::cout << fmt::format("{} report: {}\n", what, (dir / "report.html").string()) << std::flush;
  return 0;
}

}  // namespace flywheel::cli
