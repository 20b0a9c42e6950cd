// What the ways of running a calibration share: run_calibration (one process, or the ranks of an
// MPI job; calibrate_run.cpp), run_calibration_shard and fold_calibration (separate processes,
// e.g. a Slurm array; calibrate_shard.cpp). The folder's identity, the sampler and the particle's
// simulation, the stop rule, publishing a generation and writing the final outputs are the same
// code for all, so every way writes the same bytes.
#pragma once

#include "abc_smc.hpp"
#include "calibrate_model.hpp"
#include "calibrate_store.hpp"
#include "calibrate_units.hpp"

#include <flywheel/experiments/calibrate.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel {

class CalibrationSession {
 public:
  CalibrationSession(const CalibrationSpec& spec, const std::filesystem::path& dir);
  CalibrationSession(const CalibrationSession&) = delete;  // simulate() holds &model_
  CalibrationSession& operator=(const CalibrationSession&) = delete;

  const CalibrationSpec& spec() const { return spec_; }
  const abc::Sampler& sampler() const { return sampler_; }
  const abc::Simulate& simulate() const { return simulate_; }
  const CalibrationStore& store() const { return store_; }
  const CalibrationUnits& units() const { return units_; }
  const std::string& hash() const { return hash_; }

  // Checks that the folder is new or this calibration's (InputError otherwise), creates it, and
  // returns the generations published so far. Safe when several processes open it at once.
  std::vector<abc::Population> open() const;
  // Why the calibration stops after `pops`, "" while it goes on. Depends only on the
  // populations, so every process and every resumed run stops at the same generation.
  std::string stop_reason(const std::vector<abc::Population>& pops) const;
  // Publishes pops.back() (its generation file, then posterior.csv and generations.csv) and
  // removes the shard files of its generation and earlier.
  void publish(const std::vector<abc::Population>& pops) const;
  // The final outputs from `pops` (posterior.csv, generations.csv, posterior_sample.csv,
  // calibrated.yaml, forecast.csv: the forecast runs on TBB, in the caller's arena), then
  // calibration.json with the summary. Returns what they hold.
  CalibrationResult finish(const std::vector<abc::Population>& pops,
                           const std::string& stop_reason) const;

 private:
  const CalibrationSpec& spec_;
  std::filesystem::path dir_;
  CalibrationModel model_;
  nlohmann::json identity_;
  std::string hash_;
  CalibrationStore store_;
  CalibrationUnits units_;
  abc::Sampler sampler_;
  abc::Simulate simulate_;
};

}  // namespace flywheel
