// `flywheel sweep SPEC.yaml`: runs (or resumes) a sweep into a folder, one process, one shard
// (--shard k/N) or one rank of an MPI task farm; `flywheel merge DIR...` joins the shards.
#include "commands.hpp"

#include "interrupt.hpp"
#include "mpi_farm.hpp"
#include "progress.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/report/report.hpp>
#include <flywheel/experiments/sweep_run.hpp>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <chrono>
#include <csignal>
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

// The dry run's time estimate: one replicate of point 0 timed, scaled to every replicate of every
// point, divided among the threads that run them side by side (a unit's replicates for the
// agent model, points for the mean field). A rough guide: points differ in cost.
std::string time_estimate(const Sweep& sweep, const SweepIdentity& identity) {
  const SweepModel& model = sweep.model();
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)model.evaluate(0, 0, 1);
  } catch (const std::exception& e) {
    return fmt::format("no time estimate: point 0 failed ({})", e.what());
  }
  const double one = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double evaluations = static_cast<double>(identity.points) * identity.replicates;
  const int threads = static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  const int width = model.deterministic() ? threads : std::min(threads, identity.replicates);
  return fmt::format(
      "time estimate: one replicate of point 0 took {}; {:.0f} replicates on {} thread{}: about "
      "{} (points differ in cost: a rough guide){}",
      format_duration(one) == "0s" ? fmt::format("{:.3f}s", one) : format_duration(one),
      evaluations, width, width == 1 ? "" : "s",
      format_duration(evaluations * one / std::max(1, width)),
      identity.precision ? "; --precision adds batches beyond this" : "");
}

}  // namespace

SweepOverrides sweep_overrides(const SweepArgs& args) {
  SweepOverrides overrides;
  if (args.replicates > 0) overrides.replicates = args.replicates;
  if (args.samples > 0) overrides.samples = args.samples;
  for (const Override& o : parse_overrides(args.sets)) overrides.sets.emplace_back(o.path, o.value);
  return overrides;
}

void add_sweep_override_options(CLI::App& command, SweepArgs& args) {
  command
      .add_option("--replicates", args.replicates,
                  "Replicates per point instead of the spec's (a new sweep: the folder of the "
                  "spec's own does not resume with it)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000000));
  command
      .add_option("--samples", args.samples,
                  "design.samples instead of the spec's (points; morris trajectories; saltelli "
                  "base samples)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000000));
  command
      .add_option("--set", args.sets,
                  "Set a scenario parameter at every point, like the spec's `set:` (repeatable; "
                  "replaces the spec's value of that path)")
      ->type_name("KEY.PATH=VALUE")
      ->allow_extra_args(false);
}

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
                    "Check the spec against its base scenario, print the points and a time "
                    "estimate (one replicate timed), write nothing");
  add_sweep_override_options(*command, args);
  command->add_option("--threads", args.threads, "Worker threads; 0 = all cores")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--quiet", args.quiet, "No progress or informational messages on stderr");
  return command;
}

int sweep_command(const SweepArgs& args) {
  const MpiWorld& world = mpi_world();
  const Sweep sweep(load_sweep_spec(args.spec_file, sweep_overrides(args)));
  const Shard shard = chosen_shard(args);
  const SweepIdentity identity =
      sweep.identity(sweep_precision(sweep, args.precision, args.max_replicates), shard.count);
  const fs::path out = sweep_out_dir(args);
  const ThreadLimit limit(args.threads);
  if (args.dry_run) {
    if (world.rank == 0) {
      std::cout << fmt::format(
                       "{}: {} policies x {} scenarios = {} points x {} replicates; spec "
                       "hash {}\n\n{}",
                       args.spec_file, sweep.points().policies, sweep.points().scenarios,
                       identity.points, identity.replicates, identity.spec_hash.substr(0, 12),
                       points_csv_text(sweep.points()))
                << std::flush;
      if (!args.quiet) fmt::print(stderr, "flywheel: {}\n", time_estimate(sweep, identity));
    }
    return 0;
  }
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
  // Units of this run (a resume counts only what is left); in log mode (not a terminal: a Slurm
  // log) a line every 5% or minute, at most every 10 s.
  Progress progress(chatty ? progress_mode(false) : ProgressMode::off, "units");
  const SweepProgress on_progress = [&](const SweepTally& t, int queued) {
    progress.update(t.finished, t.finished + queued);
  };
  SweepTally tally;
  if (world.size > 1) {
    tally = mpi_run_units(scheduler ? &*scheduler : nullptr, sweep.model(), *store, on_progress);
  } else {
    const InterruptGuard guard;
    tally = run_units(*scheduler, sweep.model(), *store, on_progress,
                      [] { return InterruptGuard::signal_received() != 0; });
    if (tally.stopped) {
      progress.clear();
      const int signal = InterruptGuard::signal_received();
      const int done = tally.skipped + tally.finished;
      fmt::print(stderr,
                 "flywheel: interrupted after {} of {} units; run the same command to resume\n",
                 done, done + scheduler->queued() + scheduler->running());
      return 128 + signal;
    }
  }
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
