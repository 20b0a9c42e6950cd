// `flywheel calibrate SPEC`: fits the spec's parameters to its data by ABC-SMC
// (include/flywheel/experiments/calibrate.hpp, docs/calibrate.md) and writes the posterior, the
// tolerance schedule, the calibrated scenario and the posterior-predictive forecast. A killed
// calibration resumes at the generation it was in when run again into the same folder.
#include "commands.hpp"
#include "mpi_farm.hpp"

#include <flywheel/report/report.hpp>

#include <flywheel/experiments/calibrate.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

CLI::App* add_calibrate_command(CLI::App& app, CalibrateArgs& args) {
  CLI::App* command = app.add_subcommand(
      "calibrate",
      "Fits scenario parameters to a company's history (ABC-SMC): writes posterior.csv, "
      "generations.csv, posterior_sample.csv, calibrated.yaml and forecast.csv; resumes a "
      "killed run from its folder. Under `mpirun -n N` each generation's particles are spread "
      "over the ranks (same results)");
  command->add_option("SPEC", args.spec_file, "Calibration spec (YAML, docs/calibrate.md)")
      ->required();
  command->add_option("--out", args.out_dir,
                      "Output folder (default: out/calibrate-<spec name>); an existing "
                      "calibration folder of the same spec is resumed")
      ->type_name("DIR");
  command->add_option("--threads", args.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(0, 4096));
  command->add_flag("--dry-run", args.dry_run,
                    "Check the spec and its data, print the plan, run nothing");
  command->add_flag("--quiet", args.quiet, "No progress lines on stderr");
  return command;
}

int calibrate_command(const CalibrateArgs& args) {
  const CalibrationSpec spec = load_calibration_spec(args.spec_file);
  const fs::path out =
      args.out_dir.empty()
          ? fs::path("out") / folder_name("calibrate-" + fs::path(args.spec_file).stem().string())
          : fs::path(args.out_dir);
  const std::unique_ptr<ParticleFarm> farm = mpi_particle_farm();
  const bool writer = farm == nullptr || farm->writer();
  if (args.dry_run) {
    if (!writer) return 0;
    std::cout << fmt::format(
        "{}: {} parameters, {} observations, engine {}, {} particles, up to {} generations, "
        "{} replicates per particle\noutput: {}\n",
        spec.file, spec.params.size(), spec.data.size(), sweep_engine_name(spec.engine),
        spec.particles, spec.generations, spec.replicates, out.string());
    return 0;
  }
  CalibrateOptions options;
  options.threads = args.threads;
  options.farm = farm.get();
  if (!args.quiet && writer) {
    fmt::print(stderr, "flywheel: calibrating {} parameters to {} observations ({} engine{})\n",
               spec.params.size(), spec.data.size(), sweep_engine_name(spec.engine),
               farm ? fmt::format(", {} MPI ranks", mpi_world().size) : "");
    options.on_generation = [](int g, double tolerance, double acceptance, double ess) {
      fmt::print(stderr, "flywheel: generation {}: tolerance {:.4g}, acceptance {:.3f}, ESS {:.0f}\n",
                 g, tolerance, acceptance, ess);
    };
  }
  const CalibrationResult result = run_calibration(spec, out.string(), options);
  if (!writer) return 0;
  for (const std::string& w : result.warnings) fmt::print(stderr, "flywheel: warning: {}\n", w);
  const std::string problem = try_write_calibrate_report(out);
  if (!problem.empty()) fmt::print(stderr, "flywheel: warning: no report.html: {}\n", problem);
  std::cout << fmt::format("{} generations{}, {} simulations, stopped by {}\noutput: {}\n",
                           result.generations,
                           result.resumed ? fmt::format(" (resumed at {})", result.resumed_from)
                                          : "",
                           result.simulations, result.stop_reason, out.string());
  return 0;
}

}  // namespace flywheel::cli
