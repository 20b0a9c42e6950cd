// report.html from a folder's files: which kind of folder it is, which files each report reads,
// and the atomic write of the page.
#include "report_page.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/report/report.hpp>

#include <fmt/format.h>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

// The file's text, or "" when the folder does not have it.
std::string optional_file(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec) ? report::read_folder_file(path) : std::string();
}

}  // namespace

std::optional<ReportKind> report_kind(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "summary.json", ec)) return ReportKind::run;
  if (fs::exists(dir / "compare.json", ec)) return ReportKind::compare;
  if (fs::exists(dir / "sweep.json", ec)) return ReportKind::sweep;
  if (fs::exists(dir / "calibration.json", ec)) return ReportKind::calibrate;
  return std::nullopt;
}

void write_run_report(const fs::path& dir) {
  const RunFiles files{report::read_folder_file(dir / "summary.json"),
                       report::read_folder_file(dir / "timeseries.csv"),
                       optional_file(dir / "replicates.csv"), optional_file(dir / "cohorts.csv"),
                       optional_file(dir / "expected.csv")};
  write_file_atomic(dir / "report.html", run_report_html(files));
}

void write_compare_report(const fs::path& dir) {
  CompareFiles files{report::read_folder_file(dir / "compare.json"),
                     optional_file(dir / "compare_months.csv"),
                     optional_file(dir / "expected_a.csv"),
                     optional_file(dir / "expected_b.csv"),
                     {}};
  for (char side = 'c'; side <= 'z'; ++side) {
    const fs::path file = dir / fmt::format("expected_{}.csv", side);
    std::error_code ec;
    if (!fs::exists(file, ec)) break;
    files.expected_more.push_back(optional_file(file));
  }
  write_file_atomic(dir / "report.html", compare_report_html(files));
}

void write_sweep_report(const fs::path& dir) {
  const SweepFiles files{
      report::read_folder_file(dir / "sweep.json"), report::read_folder_file(dir / "points.csv"),
      report::read_folder_file(dir / "results.csv"), optional_file(dir / "sensitivity.csv"),
      optional_file(dir / "discover.json"), optional_file(dir / "discover_trajectory.csv")};
  write_file_atomic(dir / "report.html", sweep_report_html(files));
}

std::string try_write_sweep_report(const fs::path& dir) {
  try {
    write_sweep_report(dir);
    return {};
  } catch (const InputError& e) {
    return e.diagnostics().front().to_string();
  } catch (const std::exception& e) {
    return e.what();
  }
}

ReportKind write_report(const fs::path& dir) {
  const auto kind = report_kind(dir);
  if (!kind) {
    throw InputError({Diagnostic{
        dir.string(), 0, 0, "",
        "holds no summary.json, compare.json, sweep.json or calibration.json; expected the "
        "folder of a `flywheel run`, `compare`, `sweep` or `calibrate` (a sweep needs "
        "`flywheel merge` for results.csv)"}});
  }
  switch (*kind) {
    case ReportKind::run:
      write_run_report(dir);
      break;
    case ReportKind::compare:
      write_compare_report(dir);
      break;
    case ReportKind::sweep:
      write_sweep_report(dir);
      break;
    case ReportKind::calibrate:
      write_calibrate_report(dir);
      break;
  }
  return *kind;
}

}  // namespace flywheel
