// `flywheel sweep SPEC.yaml`: runs (or resumes) a sweep into a folder, one process, one shard
// (--shard k/N) or one rank of an MPI task farm; `flywheel merge DIR...` joins the shards.
#include "commands.hpp"

#include "mpi_farm.hpp"
#include "progress.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/report/report.hpp>
#include <flywheel/experiments/sweep_run.hpp>

#include <fmt/format.h>

#include <iostream>

namespace flywheel::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kExitFailedPoints = 3;

InputError option_error(const std::string& option, const std::string& message) {
  return InputError({Diagnostic{"<command line>", 0, 0, option, message}});
}

Shard chosen_shard(const SweepArgs& args) {
  if (args.shard.empty()) return {};
  std::string problem;
  std::optional<Shard> shard = parse_shard(args.shard, problem);
  if (!shard) throw option_error("--shard", problem);
  return *shard;
}

std::string merge_summary(const MergeReport& report, const fs::path& out) {
  std::string text = fmt::format("merged {} units ({} rows) of {} points into {}\n", report.units,
                                 report.rows, report.points, (out / "results.csv").string());
  text += fmt::format("results.csv sha256 {}\n", report.results_sha256);
  if (!report.failures.empty()) {
    text += fmt::format("{} units failed (listed in manifest.json); rerun with --retry-failed:\n",
                        report.failures.size());
    int shown = 0;
    for (const auto& [unit, error] : report.failures) {
      if (++shown > 5) break;
      text += fmt::format("  point {}, replicates {}-{}: {}\n", unit.point, unit.r0, unit.r1 - 1,
                          error);
    }
  }
  return text;
}

}  // namespace

void write_sweep_report_or_warn(const fs::path& dir, bool quiet) {
  const std::string problem = try_write_sweep_report(dir);
  if (!problem.empty() && !quiet) fmt::print(stderr, "flywheel: no report.html: {}\n", problem);
}

fs::path sweep_out_dir(const SweepArgs& args) {
  return args.out_dir.empty()
             ? fs::path("out") / folder_name(fs::path(args.spec_file).stem().string())
             : fs::path(args.out_dir);
}

CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args) {
  CLI::App* command = app.add_subcommand(
      "sweep",
      "Run a sweep spec (levers x uncertainty design, replicates per point) into a folder: "
      "points.csv, results.csv (tidy), manifest.json. Killed or interrupted, the same command "
      "resumes where it stopped. Under `mpirun -n N` it runs as an MPI task farm.");
  command->add_option("SPEC", args.spec_file, "Sweep spec (YAML)")->required();
  command->add_option("--out", args.out_dir, "Sweep folder (default: out/<spec name>)")
      ->type_name("DIR");
  command
      ->add_option("--shard", args.shard,
                   "Run only shard k of N (points p with p mod N = k - 1) into the same folder; "
                   "then `flywheel merge DIR` once every shard has finished")
      ->type_name("k/N");
  command
      ->add_option("--precision", args.precision,
                   "Add replicate batches to each point until the 95% interval half-width of "
                   "this output is under the target: OUTPUT:HALF_WIDTH or OUTPUT:PERCENT%")
      ->type_name("OUTPUT:TARGET");
  command
      ->add_option("--max-replicates", args.max_replicates,
                   "Cap on replicates per point with --precision (default: 50 x the spec's)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  command->add_flag("--retry-failed", args.retry_failed, "Run the failed units again");
  command->add_flag("--force-new", args.force_new,
                    "Discard what the folder holds (another spec's units) and start over");
  command->add_flag("--no-report", args.no_report, "Do not write report.html");
  command->add_flag("--dry-run", args.dry_run,
                    "Check the spec against its base scenario, print the points, write nothing");
  command->add_option("--threads", args.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--quiet", args.quiet, "No progress or informational messages on stderr");
  return command;
}

int sweep_command(const SweepArgs& args) {
  const MpiWorld& world = mpi_world();
  const Sweep sweep(load_sweep_spec(args.spec_file));
  const Shard shard = chosen_shard(args);
  const SweepIdentity identity =
      sweep.identity(sweep_precision(sweep, args.precision, args.max_replicates), shard.count);
  const fs::path out = sweep_out_dir(args);
  if (args.dry_run) {
    if (world.rank == 0) {
      std::cout << fmt::format(
          "{}: {} policies x {} scenarios = {} points x {} replicates; spec "
          "hash {}\n\n{}",
          args.spec_file, sweep.points().policies, sweep.points().scenarios, identity.points,
          identity.replicates, identity.spec_hash.substr(0, 12), points_csv_text(sweep.points()));
    }
    return 0;
  }
  const ThreadLimit limit(args.threads);
  std::optional<SweepStore> store;
  if (world.rank == 0) {
    try {
      store = open_sweep_folder(out, identity, args.force_new, points_csv_text(sweep.points()));
    } catch (...) {
      mpi_agree(false);
      throw;
    }
  }
  if (!mpi_agree(true)) return 2;  // rank 0 reports why
  if (!store) store.emplace(out);
  std::optional<UnitScheduler> scheduler;
  if (world.rank == 0)
    scheduler.emplace(resume_scheduler(*store, identity, shard, args.retry_failed));
  const bool chatty = !args.quiet && world.rank == 0;
  if (chatty) {
    fmt::print(stderr,
               "flywheel: sweep {}: {} points x {} replicates{}{}; {} units to run, {} "
               "done before\n",
               args.spec_file, identity.points, identity.replicates,
               shard.count > 1 ? fmt::format(", shard {}/{}", shard.index, shard.count) : "",
               world.size > 1 ? fmt::format(", {} MPI ranks", world.size) : "", scheduler->queued(),
               scheduler->restored());
  }
  Progress progress(chatty && stderr_is_terminal());
  const SweepProgress on_progress = [&](const SweepTally& t, int queued) {
    progress.update(t.finished, t.finished + queued);
  };
  const SweepTally tally =
      world.size > 1
          ? mpi_run_units(scheduler ? &*scheduler : nullptr, sweep.model(), *store, on_progress)
          : run_units(*scheduler, sweep.model(), *store, on_progress);
  progress.clear();
  if (world.rank != 0) return 0;
  if (shard.count > 1) {
    const int failed = static_cast<int>(store->failures().size());
    std::cout << fmt::format(
        "shard {}/{}: ran {} units ({} failed), {} done before; once every "
        "shard has finished: flywheel merge {}\n",
        shard.index, shard.count, tally.finished, tally.failed, tally.skipped, out.string());
    return failed > 0 ? kExitFailedPoints : 0;
  }
  const MergeReport report = merge_sweep_folders({out}, out);
  if (!args.no_report) write_sweep_report_or_warn(out, args.quiet);
  std::cout << merge_summary(report, out) << std::flush;
  return report.failures.empty() ? 0 : kExitFailedPoints;
}

CLI::App* add_merge_command(CLI::App& app, MergeArgs& args) {
  CLI::App* command = app.add_subcommand(
      "merge",
      "Merge the folders (or the one shared folder) of a sharded sweep into results.csv, sorted "
      "by point then replicate, with points.csv and manifest.json");
  command->add_option("DIR", args.dirs, "Sweep folders of one sweep")->required();
  command->add_option("--out", args.out_dir, "Where to write (default: the first DIR)")
      ->type_name("DIR");
  return command;
}

int merge_command(const MergeArgs& args) {
  std::vector<fs::path> dirs(args.dirs.begin(), args.dirs.end());
  const fs::path out = args.out_dir.empty() ? dirs.front() : fs::path(args.out_dir);
  const MergeReport report = merge_sweep_folders(dirs, out);
  write_sweep_report_or_warn(out, false);
  std::cout << merge_summary(report, out) << std::flush;
  return report.failures.empty() ? 0 : kExitFailedPoints;
}

}  // namespace flywheel::cli
