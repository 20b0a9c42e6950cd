// Running a calibration into its folder, in one process or on the ranks of an MPI job: open (or
// resume) the store, compute the generations still missing, publishing each as it finishes, then
// write the outputs and the summary (calibrate_session.hpp). Particles that shard processes
// already computed for a generation (calibrate_units.hpp) are read back instead of computed, so
// a sharded calibration can be finished here.
#include <flywheel/experiments/calibrate.hpp>

#include "abc_smc.hpp"
#include "calibrate_session.hpp"

#include <flywheel/common/errors.hpp>

#include <tbb/task_arena.h>

#include <exception>
#include <functional>
#include <sstream>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

// `make`'s text on every process: the writer runs it, the others receive it. An exception on the
// writer stops every process ("!" tells the others; the writer throws its own error).
std::string from_writer(ParticleFarm* farm, bool writer, const std::string& where,
                        const std::function<std::string()>& make) {
  if (farm == nullptr) return make();
  std::string text;
  std::exception_ptr failure;
  if (writer) {
    try {
      text = make();
    } catch (...) {
      failure = std::current_exception();
      text.assign(1, '!');
    }
  }
  text = farm->share(text);
  if (failure) std::rethrow_exception(failure);
  if (text == "!") throw InputError({Diagnostic{where, 0, 0, "", "refused by rank 0"}});
  return text;
}

}  // namespace

CalibrationResult run_calibration(const CalibrationSpec& spec, const std::string& out_dir,
                                  const CalibrateOptions& options) {
  const CalibrationSession session(spec, fs::path(out_dir));
  ParticleFarm* farm = options.farm;
  const bool writer = farm == nullptr || farm->writer();
  // The writer opens the folder and hands its generations (one JSON line each) to the others.
  std::vector<abc::Population> pops;
  const std::string loaded = from_writer(farm, writer, out_dir, [&] {
    pops = session.open();
    std::string text;
    for (const abc::Population& p : pops) text += population_json(p);
    return text;
  });
  if (!writer) {
    std::istringstream lines(loaded);
    for (std::string line; std::getline(lines, line);)
      pops.push_back(population_from_json(line, out_dir));
  }
  CalibrationResult result;
  result.resumed = !pops.empty();
  result.resumed_from = static_cast<int>(pops.size());

  // The particles of the generation being computed that shard files hold, on every process.
  GenerationUnits stored;
  auto read_stored = [&](int generation) {
    const std::string text = from_writer(farm, writer, out_dir, [&] {
      return session.units().read(generation).text();
    });
    stored = GenerationUnits::from_text(text);
  };
  abc::Evaluate evaluate_all = abc::local_evaluate;
  if (farm != nullptr) {
    evaluate_all = [farm](std::size_t n,
                          const std::function<abc::ParticleOutcome(std::size_t)>& one) {
      const std::vector<std::vector<double>> records =
          farm->evaluate(n, [&one](std::size_t i) { return one(i).to_record(); });
      std::vector<abc::ParticleOutcome> out;
      out.reserve(records.size());
      for (const std::vector<double>& r : records) out.push_back(abc::ParticleOutcome::from_record(r));
      return out;
    };
  }
  const abc::Evaluate evaluate =
      [&](std::size_t n, const std::function<abc::ParticleOutcome(std::size_t)>& one) {
        return evaluate_all(n, [&](std::size_t i) {
          return i < stored.outcomes.size() && stored.outcomes[i] ? *stored.outcomes[i] : one(i);
        });
      };
  auto published = [&] {
    if (!writer) return;
    session.publish(pops);
    const abc::Population& p = pops.back();
    if (options.on_generation)
      options.on_generation(p.generation, p.tolerance, p.acceptance(), p.ess());
  };
  const abc::Sampler& sampler = session.sampler();
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    if (pops.empty()) {
      read_stored(0);
      pops.push_back(sampler.first(session.simulate(), evaluate));
      published();
    }
    while ((result.stop_reason = session.stop_reason(pops)).empty()) {
      read_stored(static_cast<int>(pops.size()));
      std::optional<abc::Population> next = sampler.next(pops.back(), session.simulate(), evaluate);
      if (!next) {
        result.stop_reason = "max_attempts";
        break;
      }
      pops.push_back(std::move(*next));
      published();
    }
    if (!writer) return;
    const CalibrationResult written = session.finish(pops, result.stop_reason);
    result.warnings = written.warnings;
  });
  result.generations = static_cast<int>(pops.size());
  for (const abc::Population& p : pops) result.simulations += p.simulations;
  return result;
}

}  // namespace flywheel
