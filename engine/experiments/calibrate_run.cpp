// Running a calibration into its folder: open (or resume) the store, compute the generations
// still missing, publishing each as it finishes, then write the outputs (calibrate_outputs.hpp)
// and the summary in calibration.json.
#include <flywheel/experiments/calibrate.hpp>

#include "abc_smc.hpp"
#include "calibrate_model.hpp"
#include "calibrate_outputs.hpp"
#include "calibrate_store.hpp"
#include "common/sha256.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/task_arena.h>

#include <cmath>
#include <exception>
#include <sstream>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

std::vector<Prior> priors_of(const CalibrationSpec& spec) {
  std::vector<Prior> priors;
  for (const CalibrationParam& p : spec.params) priors.push_back(p.prior);
  return priors;
}

nlohmann::json identity(const CalibrationSpec& spec, const CalibrationModel& model) {
  nlohmann::json j;
  j["version"] = kVersion;
  j["spec_hash"] = sha256_hex(fmt::format("flywheel {}\n{}\n{}\n{}", kVersion, spec.text,
                                          model.base_json(), spec.data_text));
  j["spec_file"] = spec.file;
  j["base"] = spec.base_file;
  j["data"] = spec.data_file;
  j["engine"] = sweep_engine_name(spec.engine);
  j["particles"] = spec.particles;
  j["replicates"] = spec.replicates;
  j["seed"] = spec.seed;
  std::vector<std::string> paths;
  for (const CalibrationParam& p : spec.params) paths.push_back(p.path);
  j["parameters"] = paths;
  return j;
}

// Why the calibration stops after `pops` (empty while it goes on). Depends only on the
// populations, so a resumed run stops where an uninterrupted one does.
std::string stop_reason(const CalibrationSpec& spec, const std::vector<abc::Population>& pops) {
  const abc::Population& last = pops.back();
  long long total = 0;
  for (const abc::Population& p : pops) total += p.simulations;
  if (last.generation >= spec.generations) return "generations";
  if (spec.tolerance > 0 && last.tolerance <= spec.tolerance) return "tolerance";
  if (last.generation > 0 && last.acceptance() < spec.min_acceptance) return "min_acceptance";
  if (total >= spec.max_simulations) return "max_simulations";
  return "";
}

}  // namespace

CalibrationResult run_calibration(const CalibrationSpec& spec, const std::string& out_dir,
                                  const CalibrateOptions& options) {
  const CalibrationModel model(spec);
  const CalibrationStore store{fs::path(out_dir)};
  nlohmann::json id = identity(spec, model);
  ParticleFarm* farm = options.farm;
  const bool writer = farm == nullptr || farm->writer();
  std::vector<abc::Population> pops;
  if (farm == nullptr) {
    store.open(id["spec_hash"], id.dump(2) + "\n");
    pops = store.load();
  } else {
    // The writer opens the folder and hands its generations (one JSON line each) to the others;
    // a refused folder stops every process ("!" then the writer throws its own error).
    std::string loaded;
    std::exception_ptr failure;
    if (writer) {
      try {
        store.open(id["spec_hash"], id.dump(2) + "\n");
        pops = store.load();
        for (const abc::Population& p : pops) loaded += population_json(p);
      } catch (...) {
        failure = std::current_exception();
        loaded = "!";
      }
    }
    loaded = farm->share(loaded);
    if (failure) std::rethrow_exception(failure);
    if (loaded == "!") throw InputError({Diagnostic{out_dir, 0, 0, "", "refused by rank 0"}});
    if (!writer) {
      std::istringstream lines(loaded);
      for (std::string line; std::getline(lines, line);)
        pops.push_back(population_from_json(line, out_dir));
    }
  }
  CalibrationResult result;
  result.resumed = !pops.empty();
  result.resumed_from = static_cast<int>(pops.size());

  const abc::Sampler sampler(priors_of(spec), spec.particles, spec.quantile, spec.seed,
                             spec.max_attempts);
  const abc::Simulate simulate = [&model](const std::vector<double>& values, std::uint32_t seed,
                                          double bound) {
    return model.distance(values, seed, bound);
  };
  abc::Evaluate evaluate = abc::local_evaluate;
  if (farm != nullptr) {
    evaluate = [farm](std::size_t n, const std::function<abc::ParticleOutcome(std::size_t)>& one) {
      const std::vector<std::vector<double>> records =
          farm->evaluate(n, [&one](std::size_t i) { return one(i).to_record(); });
      std::vector<abc::ParticleOutcome> out;
      out.reserve(records.size());
      for (const std::vector<double>& r : records) out.push_back(abc::ParticleOutcome::from_record(r));
      return out;
    };
  }
  const fs::path dir(out_dir);
  auto publish_tables = [&] {
    if (!writer) return;
    write_file_atomic(dir / "posterior.csv", posterior_csv(spec, pops));
    write_file_atomic(dir / "generations.csv", generations_csv(pops));
  };
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    if (pops.empty()) {
      pops.push_back(sampler.first(simulate, evaluate));
      if (writer) store.publish(pops.back());
      publish_tables();
      if (writer && options.on_generation)
        options.on_generation(0, pops.back().tolerance, pops.back().acceptance(),
                              pops.back().ess());
    }
    while ((result.stop_reason = stop_reason(spec, pops)).empty()) {
      std::optional<abc::Population> next = sampler.next(pops.back(), simulate, evaluate);
      if (!next) {
        result.stop_reason = "max_attempts";
        break;
      }
      pops.push_back(std::move(*next));
      if (writer) store.publish(pops.back());
      publish_tables();
      const abc::Population& p = pops.back();
      if (writer && options.on_generation)
        options.on_generation(p.generation, p.tolerance, p.acceptance(), p.ess());
    }
    publish_tables();
    if (!writer) return;
    const abc::Population& last = pops.back();
    write_file_atomic(dir / "posterior_sample.csv", posterior_sample_csv(spec, last));
    write_file_atomic(dir / "calibrated.yaml", calibrated_yaml(spec, last, dir));
    write_file_atomic(dir / "forecast.csv", forecast_csv(spec, model, last));
  });
  result.generations = static_cast<int>(pops.size());
  for (const abc::Population& p : pops) result.simulations += p.simulations;
  if (!writer) return result;
  nlohmann::json summary = id;
  summary["stop_reason"] = result.stop_reason;
  summary["generations"] = result.generations;
  summary["simulations"] = result.simulations;
  nlohmann::json ms = nlohmann::json::array();
  for (const Marginal& m : marginals(spec, pops.back())) {
    nlohmann::json e;
    e["path"] = m.path;
    e["p5"] = m.p5;
    e["p50"] = m.p50;
    e["p95"] = m.p95;
    e["prior_lo"] = std::isfinite(m.prior_lo) ? nlohmann::json(m.prior_lo) : nullptr;
    e["prior_hi"] = std::isfinite(m.prior_hi) ? nlohmann::json(m.prior_hi) : nullptr;
    if (!m.warning.empty()) {
      e["warning"] = m.warning;
      result.warnings.push_back(m.path + ": " + m.warning);
    }
    ms.push_back(e);
  }
  summary["posterior"] = ms;
  write_file_atomic(dir / "calibration.json", summary.dump(2) + "\n");
  return result;
}

}  // namespace flywheel
