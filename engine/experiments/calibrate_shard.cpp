// A calibration as separate processes (docs/calibrate.md#on-slurm). The sampler is the one of
// run_calibration; only its abc::Evaluate differs:
// - a shard's evaluate computes the particles the shard owns, publishes them as its shard file
//   and stops the sampler there (the rest of the generation is the other shards' work);
// - the fold's evaluate reads every particle back from the shard files, so Sampler::next turns
//   them into the generation exactly as it turns the particles it computes itself.
#include <flywheel/experiments/calibrate.hpp>

#include "abc_smc.hpp"
#include "calibrate_session.hpp"

#include <flywheel/common/errors.hpp>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <stdexcept>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

// Thrown by a shard's evaluate once its file is published: the sampler's population would need
// the other shards' particles, and is not wanted.
struct ShardPublished {};

std::string shard_text(Shard shard) { return fmt::format("{}/{}", shard.index, shard.count); }

}  // namespace

CalibrationShardResult run_calibration_shard(const CalibrationSpec& spec,
                                             const std::string& out_dir, Shard shard,
                                             int threads) {
  if (shard.count > spec.particles) {
    throw InputError({Diagnostic{
        "<command line>", 0, 0, "--shard",
        fmt::format("{} makes more shards than the {} particles of a generation; expected N <= "
                    "budget.particles",
                    shard_text(shard), spec.particles)}});
  }
  const CalibrationSession session(spec, fs::path(out_dir));
  const std::vector<abc::Population> pops = session.open();
  CalibrationShardResult result;
  result.generation = static_cast<int>(pops.size());
  result.file = session.units().path(result.generation, shard).string();
  if (!pops.empty() && !(result.stop_reason = session.stop_reason(pops)).empty()) {
    result.status = CalibrationShardResult::Status::finished;
    return result;
  }
  const GenerationUnits units = session.units().read(result.generation);
  if (units.shards != 0 && units.shards != shard.count) {
    throw InputError({Diagnostic{
        (fs::path(out_dir) / "generations").string(), 0, 0, "--shard",
        fmt::format("{}: generation {} already has shard files of {} shards (such as {}); "
                    "expected --shard k/{} until the generation is folded, or delete those "
                    "files to change the layout",
                    shard_text(shard), result.generation, units.shards,
                    CalibrationUnits::file_name(result.generation,
                                                Shard{units.found.front(), units.shards}),
                    units.shards)}});
  }
  if (std::binary_search(units.found.begin(), units.found.end(), shard.index)) {
    result.status = CalibrationShardResult::Status::done_before;
    return result;
  }

  std::vector<std::pair<std::size_t, abc::ParticleOutcome>> computed;
  const abc::Evaluate evaluate =
      [&](std::size_t n, const std::function<abc::ParticleOutcome(std::size_t)>& one)
      -> std::vector<abc::ParticleOutcome> {
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < n; ++i) {
      if (shard.owns(static_cast<int>(i))) mine.push_back(i);
    }
    std::vector<abc::ParticleOutcome> out(mine.size());
    tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t k) { out[k] = one(mine[k]); });
    for (std::size_t k = 0; k < mine.size(); ++k) computed.emplace_back(mine[k], std::move(out[k]));
    session.units().publish(result.generation, shard, computed);
    throw ShardPublished{};
  };
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  arena.execute([&] {
    try {
      if (pops.empty()) {
        (void)session.sampler().first(session.simulate(), evaluate);
      } else {
        (void)session.sampler().next(pops.back(), session.simulate(), evaluate);
      }
    } catch (const ShardPublished&) {
    }
  });
  if (computed.empty())
    throw std::logic_error("a calibration shard ended without publishing its file");
  result.status = CalibrationShardResult::Status::computed;
  result.particles = static_cast<int>(computed.size());
  for (const auto& [i, outcome] : computed) result.simulations += outcome.simulations;
  return result;
}

CalibrationFoldResult fold_calibration(const CalibrationSpec& spec, const std::string& out_dir,
                                       const CalibrateOptions& options) {
  if (options.farm != nullptr)
    throw std::logic_error("fold_calibration runs in one process, without a particle farm");
  const CalibrationSession session(spec, fs::path(out_dir));
  std::vector<abc::Population> pops = session.open();
  CalibrationFoldResult result;
  std::string stop = pops.empty() ? "" : session.stop_reason(pops);
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  if (stop.empty()) {
    const int generation = static_cast<int>(pops.size());
    result.generation = generation;
    const GenerationUnits units = session.units().read(generation);
    result.shards = units.shards;
    if (!units.complete()) {
      for (int k : units.missing())
        result.missing.push_back(CalibrationUnits::file_name(generation, Shard{k, units.shards}));
      result.status = CalibrationFoldResult::Status::incomplete;
      return result;
    }
    const abc::Evaluate from_files =
        [&units](std::size_t n, const std::function<abc::ParticleOutcome(std::size_t)>&) {
          if (n != units.outcomes.size())
            throw std::logic_error("a generation's size differs from its shard files'");
          std::vector<abc::ParticleOutcome> out;
          out.reserve(n);
          for (const std::optional<abc::ParticleOutcome>& o : units.outcomes) out.push_back(*o);
          return out;
        };
    std::optional<abc::Population> next;
    arena.execute([&] {
      if (pops.empty()) {
        next = session.sampler().first(session.simulate(), from_files);
      } else {
        next = session.sampler().next(pops.back(), session.simulate(), from_files);
      }
    });
    if (!next) {
      // A particle ran out of attempts: the run stops, as run_calibration does. The shard files
      // stay, so a later fold or run stops here again without computing anything.
      stop = "max_attempts";
    } else {
      pops.push_back(std::move(*next));
      session.publish(pops);
      const abc::Population& p = pops.back();
      if (options.on_generation)
        options.on_generation(p.generation, p.tolerance, p.acceptance(), p.ess());
      stop = session.stop_reason(pops);
    }
  } else {
    result.generation = pops.back().generation;
  }
  if (stop.empty()) {
    result.status = CalibrationFoldResult::Status::folded;
    return result;
  }
  arena.execute([&] { result.calibration = session.finish(pops, stop); });
  result.status = CalibrationFoldResult::Status::finished;
  return result;
}

}  // namespace flywheel
