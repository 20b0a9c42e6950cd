// The texts of a calibration's folder, from its populations: posterior.csv, generations.csv,
// posterior_sample.csv, calibrated.yaml and forecast.csv (docs/calibrate.md#outputs).
#pragma once

#include "abc_smc.hpp"
#include "calibrate_model.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel {

// generation,particle,weight,distance,<parameter paths> of every generation.
std::string posterior_csv(const CalibrationSpec& spec, const std::vector<abc::Population>& pops);
// generation,tolerance,acceptance_rate,ess,simulations,simulations_total.
std::string generations_csv(const std::vector<abc::Population>& pops);
// draw,<parameter paths>: the final population resampled to equal weights (systematic).
std::string posterior_sample_csv(const CalibrationSpec& spec, const abc::Population& last);
// The base scenario by `extends:` with the `set:` values and the posterior medians.
std::string calibrated_yaml(const CalibrationSpec& spec, const abc::Population& last,
                            const std::filesystem::path& out_dir);
// month,metric,data,p5,p50,p95,mean over forecast draws x replicates, months 1..horizon.
std::string forecast_csv(const CalibrationSpec& spec, const CalibrationModel& model,
                         const abc::Population& last);
// Per parameter: prior bounds, posterior p5/p50/p95, and a warning when it piles up at a bound.
struct Marginal {
  std::string path;
  double p5 = 0, p50 = 0, p95 = 0, prior_lo = 0, prior_hi = 0;
  std::string warning;  // empty, or why the posterior is suspect
};
std::vector<Marginal> marginals(const CalibrationSpec& spec, const abc::Population& last);

// The draws of the resampled posterior (indices into last.values), from a fixed stream.
std::vector<int> posterior_draws(const CalibrationSpec& spec, const abc::Population& last,
                                 int n);

}  // namespace flywheel
