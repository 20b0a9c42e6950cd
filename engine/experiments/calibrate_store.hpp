// The folder of a calibration, crash-safe like a sweep's (sweep_store.hpp): each finished
// generation is published as its own file, atomically (temporary file, fsync, rename), so a
// calibration killed at any moment resumes at the generation it was in, and a generation's
// population depends only on the one before it, so the resumed run writes the same bytes.
//
//   DIR/calibration.json                identity (spec hash), then the summary at the end
//   DIR/generations/gen-NNNN.json       one population: tolerance, simulations, particles
//   DIR/posterior.csv, generations.csv, posterior_sample.csv, calibrated.yaml, forecast.csv
#pragma once

#include "abc_smc.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel {

std::string population_json(const abc::Population& pop);
abc::Population population_from_json(const std::string& text, const std::string& file);

class CalibrationStore {
 public:
  explicit CalibrationStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // Checks that the folder is new or holds this calibration (the same hash); creates it.
  // Throws InputError for someone else's folder.
  void open(const std::string& hash, const std::string& identity_json) const;
  // The generations 0, 1, ... found in a row.
  std::vector<abc::Population> load() const;
  void publish(const abc::Population& pop) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace flywheel
