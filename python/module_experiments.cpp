// The experiments that run into a folder, as the command line runs them: sweep, sensitivity,
// optimize, discover and calibrate. The interpreter lock is released while they compute, and
// Python's signals (Ctrl-C, a notebook's interrupt) are looked at between units or generations:
// the folder keeps what is finished and the same call resumes.
#include "module_experiments.hpp"

#include <flywheel/experiments/calibrate.hpp>
#include <flywheel/experiments/discover.hpp>
#include <flywheel/experiments/optimize.hpp>
#include <flywheel/experiments/sweep_analysis.hpp>
#include <flywheel/experiments/sweep_run.hpp>
#include <flywheel/report/report.hpp>

#include <pybind11/stl.h>

#include <filesystem>
#include <optional>
#include <string>

namespace py = pybind11;

namespace {

// How Python asks for a sweep: the options of `flywheel sweep` that one process has (no --shard).
struct SweepRequest {
  std::string out;
  int threads = 0;
  std::string precision;  // "OUTPUT:TARGET[%]", empty for none
  int max_replicates = 0;
  bool force_new = false, retry_failed = false, report = true;
};

struct SweepOutcome {
  std::string dir;
  flywheel::MergeReport merge;
  std::string report_problem;  // why report.html was not written; empty when it was
};

// Thrown out of the engine's loop when Python has a pending signal (Ctrl-C, a notebook's
// interrupt): the finished units stay in the folder and the same call resumes.
struct Interrupted {};

// Called after each unit: takes the interpreter lock just long enough to run Python's signal
// handlers, which leave KeyboardInterrupt set when they raise it.
void check_signals(const flywheel::SweepTally&, int) {
  py::gil_scoped_acquire acquire;
  if (PyErr_CheckSignals() != 0) throw Interrupted{};
}

// `flywheel sweep SPEC --out DIR` in one process, step for step as tools/cli/sweep_command.cpp.
flywheel::MergeReport run_sweep_folder(const flywheel::Sweep& sweep, const SweepRequest& request) {
  const flywheel::SweepIdentity identity = sweep.identity(
      flywheel::sweep_precision(sweep, request.precision, request.max_replicates), 1);
  const flywheel::ThreadLimit limit(request.threads);
  const std::filesystem::path out(request.out);
  const flywheel::SweepStore store = flywheel::open_sweep_folder(
      out, identity, request.force_new, flywheel::points_csv_text(sweep.points()));
  flywheel::UnitScheduler scheduler =
      flywheel::resume_scheduler(store, identity, flywheel::Shard{}, request.retry_failed);
  flywheel::run_units(scheduler, sweep.model(), store, check_signals);
  return flywheel::merge_sweep_folders({out}, out);
}

SweepOutcome sweep_outcome(const std::string& spec_file, const SweepRequest& request) {
  const flywheel::Sweep sweep(flywheel::load_sweep_spec(spec_file));
  SweepOutcome outcome{request.out, run_sweep_folder(sweep, request), {}};
  if (request.report) outcome.report_problem = flywheel::try_write_sweep_report(request.out);
  return outcome;
}

// `flywheel sensitivity SPEC --out DIR` (runs the sweep first) or `--analyse DIR` (spec empty).
SweepOutcome sensitivity_outcome(const std::optional<std::string>& spec_file,
                                 const SweepRequest& request) {
  SweepOutcome outcome{request.out, {}, {}};
  if (spec_file) {
    flywheel::SweepSpec spec = flywheel::load_sweep_spec(*spec_file);
    flywheel::check_sensitivity_design(spec);
    const flywheel::Sweep sweep(std::move(spec));
    outcome.merge = run_sweep_folder(sweep, request);
  }
  flywheel::write_sensitivity_files(request.out);
  if (request.report) outcome.report_problem = flywheel::try_write_sweep_report(request.out);
  return outcome;
}

py::dict sweep_dict(const SweepOutcome& outcome) {
  py::dict out;
  out["dir"] = outcome.dir;
  out["points"] = outcome.merge.points;
  out["units"] = outcome.merge.units;
  out["rows"] = outcome.merge.rows;
  out["failed_units"] = outcome.merge.failures.size();
  out["results_sha256"] = outcome.merge.results_sha256;
  out["report_problem"] = outcome.report_problem;
  return out;
}

// Runs `work` without the interpreter lock; an interrupt surfaces as KeyboardInterrupt.
template <typename Work>
auto without_gil(const Work& work) -> decltype(work()) {
  try {
    py::gil_scoped_release release;
    return work();
  } catch (const Interrupted&) {
    throw py::error_already_set();  // the lock is held again here; the error is still set
  }
}

// `flywheel calibrate SPEC --out DIR` (tools/cli/calibrate_command.cpp): the spec from a file,
// or from text (a Python dict) whose relative paths are read from `base_dir`.
struct CalibrateOutcome {
  flywheel::CalibrationResult result;
  std::string report_problem;
};

CalibrateOutcome calibrate_outcome(const std::string& name, const std::optional<std::string>& text,
                                   const std::string& base_dir, const std::string& out,
                                   int threads, bool report) {
  const flywheel::CalibrationSpec spec =
      text ? flywheel::load_calibration_spec_text(name, *text, base_dir)
           : flywheel::load_calibration_spec(name);
  flywheel::CalibrateOptions options;
  options.threads = threads;
  // After each generation (written to the folder, so the same call resumes there).
  options.on_generation = [](int, double, double, double) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) throw Interrupted{};
  };
  CalibrateOutcome outcome{flywheel::run_calibration(spec, out, options), {}};
  if (report) outcome.report_problem = flywheel::try_write_calibrate_report(out);
  return outcome;
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def(
      "sweep",
      [](const std::string& spec_file, const std::string& out, int threads,
         const std::string& precision, int max_replicates, bool force_new, bool retry_failed,
         bool report) {
        const SweepRequest request{out,       threads,      precision, max_replicates,
                                   force_new, retry_failed, report};
        return sweep_dict(without_gil([&] { return sweep_outcome(spec_file, request); }));
      },
      py::arg("spec"), py::arg("out"), py::arg("threads"), py::arg("precision"),
      py::arg("max_replicates"), py::arg("force_new"), py::arg("retry_failed"), py::arg("report"),
      "Runs or resumes a sweep into `out` and merges results.csv; returns counts and the sha256.");
  m.def(
      "sensitivity",
      [](const std::optional<std::string>& spec_file, const std::string& out, int threads,
         bool force_new, bool retry_failed, bool report) {
        const SweepRequest request{out, threads, "", 0, force_new, retry_failed, report};
        return sweep_dict(without_gil([&] { return sensitivity_outcome(spec_file, request); }));
      },
      py::arg("spec"), py::arg("out"), py::arg("threads"), py::arg("force_new"),
      py::arg("retry_failed"), py::arg("report"),
      "Runs a saltelli or morris sweep into `out` (spec None: analyses `out` as it is), then "
      "writes sensitivity.csv and sensitivity.json there.");
  m.def(
      "optimize",
      [](const std::string& spec_file, const std::string& out, bool force_new, bool report) {
        const flywheel::OptimizeSpec spec = flywheel::load_optimize_spec(spec_file);
        flywheel::OptimizeResult r;
        {
          py::gil_scoped_release release;
          flywheel::OptimizeOptions options;
          options.force_new = force_new;
          r = flywheel::run_optimize(spec, out, options);
        }
        py::dict d;
        d["dir"] = out;
        d["candidates"] = r.candidates.size();
        d["simulated"] = r.simulated;
        d["cached"] = r.cached;
        d["report_problem"] = report ? flywheel::try_write_optimize_report(out) : std::string();
        return d;
      },
      py::arg("spec"), py::arg("out"), py::arg("force_new"), py::arg("report"),
      "Runs (or resumes) an optimize spec into `out`; returns counts.");
  m.def(
      "discover",
      [](const std::string& dir, const std::string& target, double alpha, double min_mass,
         double threshold, bool report) {
        flywheel::DiscoverOptions options;
        options.target = target;
        options.prim.alpha = alpha;
        options.prim.min_mass = min_mass;
        options.prim.threshold = threshold;
        flywheel::write_discover_files(dir, options);
        py::dict d;
        d["dir"] = dir;
        d["report_problem"] = report ? flywheel::try_write_sweep_report(dir) : std::string();
        return d;
      },
      py::arg("dir"), py::arg("target"), py::arg("alpha"), py::arg("min_mass"),
      py::arg("threshold"), py::arg("report"),
      "PRIM scenario discovery over a finished sweep folder; writes discover_*.csv there.");
  m.def(
      "calibrate",
      [](const std::string& name, const std::optional<std::string>& text,
         const std::string& base_dir, const std::string& out, int threads, bool report) {
        const CalibrateOutcome o = without_gil(
            [&] { return calibrate_outcome(name, text, base_dir, out, threads, report); });
        py::dict d;
        d["dir"] = out;
        d["generations"] = o.result.generations;
        d["resumed"] = o.result.resumed;
        d["resumed_from"] = o.result.resumed_from;
        d["simulations"] = o.result.simulations;
        d["stop_reason"] = o.result.stop_reason;
        d["warnings"] = o.result.warnings;
        d["report_problem"] = o.report_problem;
        return d;
      },
      py::arg("name"), py::arg("text"), py::arg("base_dir"), py::arg("out"), py::arg("threads"),
      py::arg("report"),
      "Runs (or resumes) a calibration spec (a file, or text when `text` is not None, its "
      "paths relative to base_dir) into `out`; returns the counts, stop reason and warnings.");
}
