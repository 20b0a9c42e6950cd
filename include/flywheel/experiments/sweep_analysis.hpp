// Sensitivity analysis of a finished sweep folder whose design is saltelli (Sobol first-order
// and total indices) or morris (elementary effects): the model output of a point is the mean
// of its replicates, and the indices are computed per policy (lever combination) and output.
#pragma once

#include <flywheel/experiments/sweep.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace flywheel {

struct SensitivityRow {
  int policy = 0;
  std::string output;                   // e.g. "arr_usd@36"
  std::string parameter;                // an uncertainty's path
  std::string index;  // S1, ST (Sobol); mu_star, mu_star_scaled, mu, sigma (Morris)
  double estimate = 0, lo = 0, hi = 0;  // lo, hi: 95% bootstrap interval (NaN when none)
  // Morris mu_star, mu and sigma: the output's unit per the parameter's whole range (the unit
  // coordinate 0..1); mu_star_scaled = mu_star / sd of the output over the design's points, in
  // output standard deviations per whole range (comparable across outputs). Sobol: "" (shares).
  std::string unit;
};

// Warnings that a saltelli sweep's base sample is too small for its Sobol indices to mean
// much, one per policy and output: an index clearly negative (estimate < -0.05, or its whole
// interval below 0) or one that matters (>= 0.1) with an interval wider than itself. Each names
// the worst case and suggests more design.samples (--samples).
std::vector<std::string> sensitivity_warnings(const std::vector<SensitivityRow>& rows,
                                              int base_samples);

// Reads DIR/sweep.json and DIR/results.csv (merged). Throws InputError when the folder is not a
// finished saltelli or morris sweep.
std::vector<SensitivityRow> analyse_sweep_folder(const std::filesystem::path& dir);

// Throws InputError (at the spec's design.method) unless the design is saltelli or morris: what
// `flywheel sensitivity SPEC` checks before running anything.
void check_sensitivity_design(const SweepSpec& spec);

// analyse_sweep_folder, then DIR/sensitivity.csv and DIR/sensitivity.json written atomically;
// returns the rows.
std::vector<SensitivityRow> write_sensitivity_files(const std::filesystem::path& dir);

// sensitivity.csv: policy,output,parameter,index,estimate,lo,hi (NaN as an empty field).
std::string sensitivity_csv_text(const std::vector<SensitivityRow>& rows);
// sensitivity.json: the design and the rows, grouped by policy and output.
std::string sensitivity_json_text(const std::filesystem::path& dir,
                                  const std::vector<SensitivityRow>& rows);

}  // namespace flywheel
