// From a spec to concrete points: the lever grid times the uncertainty design, each unit
// coordinate mapped to a value by the parameter's inverse CDF (Boost.Math).
#include <flywheel/experiments/sweep_points.hpp>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace flywheel {

namespace {

std::string number_text(const ParamDomain& d, double x) {
  if (d.integer) return fmt::format("{}", std::llround(x));
  return fmt::format("{}", x);
}

// Inverse CDF of the triangular distribution on [a, b] with mode c.
double triangular_quantile(double a, double c, double b, double u) {
  const double f = (c - a) / (b - a);
  return u < f ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
}

// Quantiles of unbounded distributions at u = 0 would be infinite: u is kept inside (0, 1).
double open_unit(double u) {
  return std::clamp(u, 1e-12, 1 - 1e-12);
}

UnitPoints uncertainty_design(const SweepSpec& spec, int dims) {
  switch (spec.method) {
    case DesignMethod::random:
      return random_points(spec.samples, dims, spec.design_seed);
    case DesignMethod::lhs:
      return lhs_points(spec.samples, dims, spec.design_seed);
    case DesignMethod::sobol:
      return sobol_points(spec.samples, dims);
    case DesignMethod::saltelli:
      return saltelli_points(spec.samples, dims);
    case DesignMethod::morris:
      return morris_points(spec.samples, dims, spec.levels, spec.design_seed);
    case DesignMethod::grid:
      break;
  }
  return {};
}

std::vector<int> levels_of(const std::vector<SweepParam>& params) {
  std::vector<int> levels;
  for (const SweepParam& p : params) levels.push_back(param_levels(p.domain));
  return levels;
}

// The uncertainty values of every scenario (design point).
std::vector<std::vector<std::string>> scenario_values(const SweepSpec& spec, UnitPoints& unit) {
  const std::vector<SweepParam>& params = spec.uncertainties;
  std::vector<std::vector<std::string>> rows;
  if (params.empty()) return {{}};
  if (spec.method == DesignMethod::grid) {
    for (const std::vector<int>& level : grid_points(levels_of(params))) {
      std::vector<std::string>& row = rows.emplace_back();
      std::vector<double>& u = unit.emplace_back();
      for (std::size_t d = 0; d < params.size(); ++d) {
        row.push_back(param_level_text(params[d].domain, level[d]));
        u.push_back(static_cast<double>(level[d]) /
                    std::max(1, param_levels(params[d].domain) - 1));
      }
    }
    return rows;
  }
  unit = uncertainty_design(spec, static_cast<int>(params.size()));
  for (const std::vector<double>& u : unit) {
    std::vector<std::string>& row = rows.emplace_back();
    for (std::size_t d = 0; d < params.size(); ++d)
      row.push_back(param_value_text(params[d].domain, u[d]));
  }
  return rows;
}

}  // namespace

int param_levels(const ParamDomain& d) {
  return d.kind == ParamDomain::Kind::values ? static_cast<int>(d.values.size()) : d.levels;
}

std::string param_level_text(const ParamDomain& d, int level) {
  if (d.kind == ParamDomain::Kind::values) return d.values[static_cast<std::size_t>(level)];
  const double u = d.levels > 1 ? static_cast<double>(level) / (d.levels - 1) : 0.0;
  if (level == d.levels - 1) {  // exactly hi, free of rounding
    return number_text(d, d.hi);
  }
  return param_value_text(d, u);
}

std::string param_value_text(const ParamDomain& d, double u) {
  using K = ParamDomain::Kind;
  switch (d.kind) {
    case K::values: {
      const auto k = static_cast<double>(d.values.size());
      return d.values[static_cast<std::size_t>(std::min(std::floor(u * k), k - 1))];
    }
    case K::range:
      // (1 - u) lo + u hi: exact at both ends and at the midpoint.
      return number_text(d, d.log ? std::exp((1 - u) * std::log(d.lo) + u * std::log(d.hi))
                                  : (1 - u) * d.lo + u * d.hi);
    case K::normal:
      return number_text(d, boost::math::quantile(boost::math::normal(d.mean, d.sd), open_unit(u)));
    case K::lognormal:
      return number_text(
          d, std::exp(boost::math::quantile(boost::math::normal(d.mean, d.sd), open_unit(u))));
    case K::triangular:
      return number_text(d, triangular_quantile(d.lo, d.mode, d.hi, u));
  }
  return {};
}

SweepPoints sweep_points(const SweepSpec& spec) {
  SweepPoints points;
  for (const SweepParam& p : spec.levers) points.columns.push_back(p.path);
  for (const SweepParam& p : spec.uncertainties) points.columns.push_back(p.path);
  std::vector<std::vector<std::string>> policies = {{}};
  if (!spec.levers.empty()) {
    policies.clear();
    for (const std::vector<int>& level : grid_points(levels_of(spec.levers))) {
      std::vector<std::string>& row = policies.emplace_back();
      for (std::size_t d = 0; d < spec.levers.size(); ++d)
        row.push_back(param_level_text(spec.levers[d].domain, level[d]));
    }
  }
  const std::vector<std::vector<std::string>> scenarios = scenario_values(spec, points.unit);
  points.policies = static_cast<int>(policies.size());
  points.scenarios = static_cast<int>(scenarios.size());
  for (const auto& policy : policies) {
    for (const auto& scenario : scenarios) {
      std::vector<std::string>& row = points.values.emplace_back(policy);
      row.insert(row.end(), scenario.begin(), scenario.end());
    }
  }
  return points;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string points_csv_text(const SweepPoints& points) {
  std::string out = "point,policy,scenario";
  for (const std::string& c : points.columns) out.append(1, ',').append(csv_field(c));
  out += "\n";
  for (int p = 0; p < points.size(); ++p) {
    out += fmt::format("{},{},{}", p, p / points.scenarios, p % points.scenarios);
    for (const std::string& v : points.values[static_cast<std::size_t>(p)])
      out.append(1, ',').append(csv_field(v));
    out += "\n";
  }
  return out;
}

}  // namespace flywheel
