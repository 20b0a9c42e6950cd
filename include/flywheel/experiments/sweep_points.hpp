// The points of a sweep: the lever grid (policies) crossed with the uncertainty design
// (scenarios), point = policy * scenarios + scenario, each a list of parameter values.
#pragma once

#include <flywheel/experiments/designs.hpp>
#include <flywheel/experiments/sweep.hpp>

#include <string>
#include <vector>

namespace flywheel {

struct SweepPoints {
  std::vector<std::string> columns;  // parameter paths: levers, then uncertainties
  int policies = 1;                  // lever combinations
  int scenarios = 1;                 // uncertainty design points
  // values[point][column]: YAML scalar text, passed to the scenario like `--set path=value`
  std::vector<std::vector<std::string>> values;
  UnitPoints unit;  // unit[scenario][d]: the uncertainty design in [0, 1), for sensitivity

  int size() const { return static_cast<int>(values.size()); }
};

SweepPoints sweep_points(const SweepSpec& spec);

// A parameter's value at unit coordinate u in [0, 1) (inverse CDF; list position floor(u k)).
std::string param_value_text(const ParamDomain& domain, double u);
// Grid levels of a parameter (list length, or a range's levels) and the value at one level.
int param_levels(const ParamDomain& domain);
std::string param_level_text(const ParamDomain& domain, int level);

// points.csv: point,policy,scenario,<one column per parameter path>.
std::string points_csv_text(const SweepPoints& points);

// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);

}  // namespace flywheel
