#include "calibrate_session.hpp"

#include "calibrate_outputs.hpp"
#include "common/sha256.hpp"

#include <flywheel/common/version.hpp>
#include <flywheel/output/output.hpp>

#include <fmt/format.h>

#include <cmath>

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

}  // namespace

CalibrationSession::CalibrationSession(const CalibrationSpec& spec, const fs::path& dir)
    : spec_(spec),
      dir_(dir),
      model_(spec),
      identity_(identity(spec, model_)),
      hash_(identity_["spec_hash"].get<std::string>()),
      store_(dir),
      units_(dir, hash_, static_cast<std::size_t>(spec.particles)),
      sampler_(priors_of(spec), spec.particles, spec.quantile, spec.seed, spec.max_attempts),
      simulate_([this](const std::vector<double>& values, std::uint32_t seed, double bound) {
        return model_.distance(values, seed, bound);
      }) {}

std::vector<abc::Population> CalibrationSession::open() const {
  store_.open(hash_, identity_.dump(2) + "\n");
  return store_.load();
}

std::string CalibrationSession::stop_reason(const std::vector<abc::Population>& pops) const {
  const abc::Population& last = pops.back();
  long long total = 0;
  for (const abc::Population& p : pops) total += p.simulations;
  if (last.generation >= spec_.generations) return "generations";
  if (spec_.tolerance > 0 && last.tolerance <= spec_.tolerance) return "tolerance";
  if (last.generation > 0 && last.acceptance() < spec_.min_acceptance) return "min_acceptance";
  if (total >= spec_.max_simulations) return "max_simulations";
  return "";
}

void CalibrationSession::publish(const std::vector<abc::Population>& pops) const {
  store_.publish(pops.back());
  write_file_atomic(dir_ / "posterior.csv", posterior_csv(spec_, pops));
  write_file_atomic(dir_ / "generations.csv", generations_csv(pops));
  units_.remove_through(pops.back().generation);
}

CalibrationResult CalibrationSession::finish(const std::vector<abc::Population>& pops,
                                             const std::string& stop_reason) const {
  write_file_atomic(dir_ / "posterior.csv", posterior_csv(spec_, pops));
  write_file_atomic(dir_ / "generations.csv", generations_csv(pops));
  const abc::Population& last = pops.back();
  write_file_atomic(dir_ / "posterior_sample.csv", posterior_sample_csv(spec_, last));
  write_file_atomic(dir_ / "calibrated.yaml", calibrated_yaml(spec_, last, dir_));
  write_file_atomic(dir_ / "forecast.csv", forecast_csv(spec_, model_, last));

  CalibrationResult result;
  result.stop_reason = stop_reason;
  result.generations = static_cast<int>(pops.size());
  for (const abc::Population& p : pops) result.simulations += p.simulations;
  nlohmann::json summary = identity_;
  summary["stop_reason"] = result.stop_reason;
  summary["generations"] = result.generations;
  summary["simulations"] = result.simulations;
  nlohmann::json ms = nlohmann::json::array();
  for (const Marginal& m : marginals(spec_, last)) {
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
  write_file_atomic(dir_ / "calibration.json", summary.dump(2) + "\n");
  return result;
}

}  // namespace flywheel
