// `flywheel calibrate SPEC`: fits the spec's parameters to its data by ABC-SMC
// (include/flywheel/experiments/calibrate.hpp, docs/calibrate.md) and writes the posterior, the
// tolerance schedule, the calibrated scenario and the posterior-predictive forecast. A killed
// calibration resumes at the generation it was in when run again into the same folder. With
// --shard k/N it computes one shard of the next generation, with --fold it turns a generation's
// shard files into the generation (separate processes, e.g. a Slurm array: tools/slurm/).
#include "commands.hpp"
#include "mpi_farm.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/report/report.hpp>

#include <flywheel/experiments/calibrate.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

// --fold found shard files of the next generation missing (or none): nothing was written.
constexpr int kExitShardsMissing = 4;

InputError option_error(const std::string& option, const std::string& message) {
  return InputError({Diagnostic{"<command line>", 0, 0, option, message}});
}

// A path for a command line to copy (the common case: no quote in it).
std::string shell_word(const std::string& text) { return "'" + text + "'"; }

void print_generation(int g, double tolerance, double acceptance, double ess) {
  fmt::print(stderr, "flywheel: generation {}: tolerance {:.4g}, acceptance {:.3f}, ESS {:.0f}\n", g,
             tolerance, acceptance, ess);
}

// The end of a calibration, as every way of running one reports it (warnings even with --quiet).
void report_finished(const CalibrationResult& result, const fs::path& out,
                     const std::string& prefix, const std::string& how) {
  for (const std::string& w : result.warnings) fmt::print(stderr, "flywheel: warning: {}\n", w);
  const std::string problem = try_write_calibrate_report(out);
  if (!problem.empty()) fmt::print(stderr, "flywheel: warning: no report.html: {}\n", problem);
  std::cout << fmt::format("{}{} generations{}, {} simulations, stopped by {}\noutput: {}\n",
                           prefix, result.generations, how, result.simulations,
                           result.stop_reason, out.string());
}

int shard_command(const CalibrateArgs& args, const CalibrationSpec& spec, const fs::path& out) {
  std::string problem;
  const std::optional<Shard> shard = parse_shard(args.shard, problem);
  if (!shard) throw option_error("--shard", problem);
  const CalibrationShardResult r = run_calibration_shard(spec, out.string(), *shard, args.threads);
  const std::string name = fmt::format("shard {}/{} of generation {}", shard->index, shard->count,
                                       r.generation);
  switch (r.status) {
    case CalibrationShardResult::Status::finished:
      std::cout << fmt::format("finished: the calibration stopped by {} after generation {}; "
                               "nothing to compute\n",
                               r.stop_reason, r.generation - 1);
      break;
    case CalibrationShardResult::Status::done_before:
      std::cout << fmt::format("{}: done before ({})\n", name, r.file);
      break;
    case CalibrationShardResult::Status::computed:
      std::cout << fmt::format("{}: {} particles, {} simulations -> {}\n", name, r.particles,
                               r.simulations, r.file);
      break;
  }
  if (r.status != CalibrationShardResult::Status::finished) {
    std::cout << fmt::format("once every shard of generation {} is done: flywheel calibrate {} "
                             "--out {} --fold\n",
                             r.generation, shell_word(args.spec_file), shell_word(out.string()));
  }
  return 0;
}

int fold_command(const CalibrateArgs& args, const CalibrationSpec& spec, const fs::path& out) {
  CalibrateOptions options;
  options.threads = args.threads;
  if (!args.quiet) options.on_generation = print_generation;
  const CalibrationFoldResult r = fold_calibration(spec, out.string(), options);
  switch (r.status) {
    case CalibrationFoldResult::Status::incomplete: {
      const std::string run = fmt::format("flywheel calibrate {} --out {} --shard",
                                          shell_word(args.spec_file), shell_word(out.string()));
      if (r.shards == 0) {
        fmt::print(stderr,
                   "flywheel: generation {} has no shard files in {}: nothing to fold; run {} "
                   "k/N for k = 1..N first\n",
                   r.generation, (out / "generations").string(), run);
      } else {
        std::string names;
        for (const std::string& m : r.missing) names += "\n  " + (out / "generations" / m).string();
        fmt::print(stderr,
                   "flywheel: generation {}: {} of its {} shard files are missing, nothing "
                   "folded:{}\nrun those shards ({} k/{}), then --fold again\n",
                   r.generation, r.missing.size(), r.shards, names, run, r.shards);
      }
      return kExitShardsMissing;
    }
    case CalibrationFoldResult::Status::folded:
      std::cout << fmt::format("folded generation {} from {} shards\nnext: generation {}: run "
                               "its shards (--shard k/N), then --fold\n",
                               r.generation, r.shards, r.generation + 1);
      return 0;
    case CalibrationFoldResult::Status::finished:
      report_finished(r.calibration, out, "finished: ",
                      r.shards > 0 ? fmt::format(" (the last folded from {} shards)", r.shards)
                                   : "");
      return 0;
  }
  return 0;
}

}  // namespace

CLI::App* add_calibrate_command(CLI::App& app, CalibrateArgs& args) {
  CLI::App* command = app.add_subcommand(
      "calibrate",
      "Fits scenario parameters to a company's history (ABC-SMC): writes posterior.csv, "
      "generations.csv, posterior_sample.csv, calibrated.yaml and forecast.csv; resumes a "
      "killed run from its folder. Under `mpirun -n N` each generation's particles are spread "
      "over the ranks; with --shard and --fold, over separate processes (same results)");
  command->add_option("SPEC", args.spec_file, "Calibration spec (YAML, docs/calibrate.md)")
      ->required();
  command->add_option("--out", args.out_dir,
                      "Output folder (default: out/calibrate-<spec name>); an existing "
                      "calibration folder of the same spec is resumed")
      ->type_name("DIR");
  CLI::Option* shard =
      command
          ->add_option("--shard", args.shard,
                       "Compute only shard k of N of the next generation (particles i with i mod "
                       "N = k - 1) into DIR/generations/gen-NNNN.shard-K-of-N.json, then exit; "
                       "a shard already there is not recomputed")
          ->type_name("k/N");
  CLI::Option* fold = command->add_flag(
      "--fold", args.fold,
      "Once every shard of the next generation is there: fold them into the generation (then "
      "the final outputs if the calibration stops). Exit code 4 when shard files are missing");
  shard->excludes(fold);
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
  if (farm && (!args.shard.empty() || args.fold)) {
    throw option_error(args.fold ? "--fold" : "--shard",
                       "runs in one process, not under mpirun; expected either mpirun (each "
                       "generation's particles spread over the ranks) or separate --shard "
                       "processes");
  }
  if (!args.shard.empty()) return shard_command(args, spec, out);
  if (args.fold) return fold_command(args, spec, out);
  CalibrateOptions options;
  options.threads = args.threads;
  options.farm = farm.get();
  if (!args.quiet && writer) {
    fmt::print(stderr, "flywheel: calibrating {} parameters to {} observations ({} engine{})\n",
               spec.params.size(), spec.data.size(), sweep_engine_name(spec.engine),
               farm ? fmt::format(", {} MPI ranks", mpi_world().size) : "");
    options.on_generation = print_generation;
  }
  const CalibrationResult result = run_calibration(spec, out.string(), options);
  if (!writer) return 0;
  report_finished(result, out, "",
                  result.resumed ? fmt::format(" (resumed at {})", result.resumed_from) : "");
  return 0;
}

}  // namespace flywheel::cli
