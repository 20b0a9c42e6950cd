#include <flywheel/experiments/sweep_analysis.hpp>

#include "common/text_file.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/output/output.hpp>
#include <flywheel/experiments/sensitivity.hpp>
#include <flywheel/experiments/sweep_store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace flywheel {

namespace fs = std::filesystem;

namespace {

InputError folder_error(const fs::path& where, const std::string& message) {
  return InputError({Diagnostic{where.string(), 0, 0, "", message}});
}

// y[point][output]: the mean over a point's replicates (NaN replicates left out; NaN when the
// point has no finite value, e.g. it failed).
std::vector<std::vector<double>> point_means(const fs::path& file, int points, int outputs) {
  const loader::FileText read = loader::read_text_file(file, std::size_t{1} << 32);
  if (!read.error.empty()) {
    throw folder_error(
        file, "cannot read: " + read.error + "; expected the merged results of a finished sweep");
  }
  std::vector<std::vector<double>> sum(points, std::vector<double>(outputs, 0.0));
  std::vector<std::vector<int>> n(points, std::vector<int>(outputs, 0));
  std::istringstream in(read.text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream cells(line);
    while (std::getline(cells, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    if (static_cast<int>(fields.size()) != 3 + outputs) {
      throw folder_error(file, "has a row with " + std::to_string(fields.size()) +
                                   " fields; expected " + std::to_string(3 + outputs));
    }
    const int point = std::stoi(fields[0]);
    if (point < 0 || point >= points) throw folder_error(file, "names a point outside the design");
    for (int k = 0; k < outputs; ++k) {
      const std::string& text = fields[static_cast<std::size_t>(3 + k)];
      if (text.empty()) continue;
      sum[point][k] += std::stod(text);
      ++n[point][k];
    }
  }
  for (int p = 0; p < points; ++p) {
    for (int k = 0; k < outputs; ++k) sum[p][k] = n[p][k] > 0 ? sum[p][k] / n[p][k] : std::nan("");
  }
  return sum;
}

void add_interval(std::vector<SensitivityRow>& rows, SensitivityRow row, const Interval& i) {
  row.estimate = i.estimate;
  row.lo = i.lo;
  row.hi = i.hi;
  rows.push_back(std::move(row));
}

void analyse_policy(const SweepIdentity& id, const std::vector<std::vector<double>>& means,
                    int policy, int output, std::vector<SensitivityRow>& rows) {
  const int dims = static_cast<int>(id.uncertainties.size());
  std::vector<double> y;
  for (int s = 0; s < id.scenarios; ++s) y.push_back(means[policy * id.scenarios + s][output]);
  SensitivityRow base;
  base.policy = policy;
  base.output = id.outputs[static_cast<std::size_t>(output)];
  std::string problem;
  const std::optional<OutputSpec> spec = parse_output_spec(base.output, problem);
  const std::string unit = spec ? output_unit(*spec) : std::string();
  if (id.design == "saltelli") {
    const SobolIndices s =
        sobol_indices(y, id.design_samples, dims, id.design_bootstrap, id.design_seed);
    for (int d = 0; d < dims; ++d) {
      base.parameter = id.uncertainties[static_cast<std::size_t>(d)];
      base.index = "S1";
      add_interval(rows, base, s.first[d]);
      base.index = "ST";
      add_interval(rows, base, s.total[d]);
    }
    return;
  }
  const UnitPoints points =
      morris_points(id.design_samples, dims, id.design_levels, id.design_seed);
  const MorrisIndices m =
      morris_indices(points, y, id.design_samples, dims, id.design_bootstrap, id.design_seed);
  const double nan = std::nan("");
  // The output's spread over the design's points: mu* in its standard deviations.
  double sum = 0, squares = 0;
  int n = 0;
  for (const double v : y) {
    if (!std::isfinite(v)) continue;
    sum += v;
    ++n;
  }
  for (const double v : y) {
    if (std::isfinite(v)) squares += (v - sum / n) * (v - sum / n);
  }
  const double sd = n > 1 ? std::sqrt(squares / (n - 1)) : nan;
  base.unit = unit;
  for (int d = 0; d < dims; ++d) {
    base.parameter = id.uncertainties[static_cast<std::size_t>(d)];
    base.index = "mu_star";
    base.unit = unit;
    add_interval(rows, base, m.mu_star[d]);
    base.index = "mu_star_scaled";
    base.unit = "sd";
    const Interval& i = m.mu_star[d];
    add_interval(rows, base,
                 sd > 0 ? Interval{i.estimate / sd, i.lo / sd, i.hi / sd} : Interval{nan, nan, nan});
    base.unit = unit;
    base.index = "mu";
    add_interval(rows, base, {m.mu[d], nan, nan});
    base.index = "sigma";
    add_interval(rows, base, {m.sigma[d], nan, nan});
  }
}

std::string number_or_empty(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "";
}

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<SensitivityRow> analyse_sweep_folder(const fs::path& dir) {
  const std::optional<SweepIdentity> id = SweepStore(dir).identity();
  if (!id)
    throw folder_error(dir,
                       "is not a sweep folder (no sweep.json); expected a folder "
                       "written by flywheel sweep or flywheel sensitivity");
  if (id->design != "saltelli" && id->design != "morris") {
    throw folder_error(dir / "sweep.json", "design " + id->design +
                                               " has no sensitivity "
                                               "analysis; expected a sweep with design.method "
                                               "saltelli (Sobol indices) or morris");
  }
  if (id->uncertainties.empty()) {
    throw folder_error(dir / "sweep.json",
                       "has no uncertainties; expected the parameters to "
                       "analyse under uncertainties");
  }
  const int outputs = static_cast<int>(id->outputs.size());
  const auto means = point_means(dir / "results.csv", id->points, outputs);
  std::vector<SensitivityRow> rows;
  for (int policy = 0; policy < id->policies; ++policy) {
    for (int k = 0; k < outputs; ++k) analyse_policy(*id, means, policy, k, rows);
  }
  return rows;
}

std::vector<std::string> sensitivity_warnings(const std::vector<SensitivityRow>& rows,
                                              int base_samples) {
  std::vector<std::string> out;
  std::string group;
  bool warned = false;
  for (const SensitivityRow& r : rows) {
    if (r.index != "S1" && r.index != "ST") continue;
    const std::string here = fmt::format("policy {} · {}", r.policy, r.output);
    if (here != group) {
      group = here;
      warned = false;
    }
    if (warned || !std::isfinite(r.estimate)) continue;
    std::string why;
    const bool interval = std::isfinite(r.lo) && std::isfinite(r.hi);
    if (r.estimate < -0.05 || (interval && r.hi < 0)) {
      why = fmt::format("{} of {} is {:.3f}, below 0", r.index, r.parameter, r.estimate);
    } else if (interval && r.estimate >= 0.1 && r.hi - r.lo > r.estimate) {
      why = fmt::format("{} of {} is {:.3f} with a 95% interval [{:.3f}, {:.3f}] wider than itself",
                        r.index, r.parameter, r.estimate, r.lo, r.hi);
    }
    if (why.empty()) continue;
    warned = true;
    out.push_back(fmt::format(
        "{}: the Sobol indices are unreliable with {} base samples ({}); expected more "
        "design.samples, e.g. --samples {}",
        here, base_samples, why, 4 * base_samples));
  }
  return out;
}

void check_sensitivity_design(const SweepSpec& spec) {
  if (spec.method == DesignMethod::saltelli || spec.method == DesignMethod::morris) return;
  throw InputError({Diagnostic{spec.file, 0, 0, "design.method",
                               std::string(design_method_name(spec.method)) +
                                   " has no sensitivity analysis; expected saltelli or morris "
                                   "(or run it with flywheel sweep)"}});
}

std::vector<SensitivityRow> write_sensitivity_files(const fs::path& dir) {
  std::vector<SensitivityRow> rows = analyse_sweep_folder(dir);
  write_file_atomic(dir / "sensitivity.csv", sensitivity_csv_text(rows));
  write_file_atomic(dir / "sensitivity.json", sensitivity_json_text(dir, rows));
  return rows;
}

std::string sensitivity_csv_text(const std::vector<SensitivityRow>& rows) {
  std::string out = "policy,output,parameter,index,estimate,lo,hi\n";
  for (const SensitivityRow& r : rows) {
    out += fmt::format("{},{},{},{},{},{},{}\n", r.policy, r.output, r.parameter, r.index,
                       number_or_empty(r.estimate), number_or_empty(r.lo), number_or_empty(r.hi));
  }
  return out;
}

std::string sensitivity_json_text(const fs::path& dir, const std::vector<SensitivityRow>& rows) {
  const std::optional<SweepIdentity> id = SweepStore(dir).identity();
  nlohmann::ordered_json j;
  j["design"] = {{"method", id ? id->design : ""},
                 {"samples", id ? id->design_samples : 0},
                 {"bootstrap", id ? id->design_bootstrap : 0},
                 {"seed", id ? id->design_seed : 0}};
  j["estimators"] = id && id->design == "morris"
                        ? "Morris (1991) elementary effects; mu_star of Campolongo et al. (2007)"
                        : "Jansen (1999) first-order and total, Saltelli et al. (2010) design";
  j["interval"] = "95% bootstrap percentile";
  j["indices"] = nlohmann::json::array();
  for (const SensitivityRow& r : rows) {
    j["indices"].push_back({{"policy", r.policy},
                            {"output", r.output},
                            {"parameter", r.parameter},
                            {"index", r.index},
                            {"estimate", number_or_null(r.estimate)},
                            {"lo", number_or_null(r.lo)},
                            {"hi", number_or_null(r.hi)},
                            {"unit", r.unit}});
  }
  if (id && id->design == "morris") j["morris_scaling"] =
      "mu_star_scaled = mu_star / sd of the output (points' means) over the design's points; "
      "mu_star, mu and sigma in the output's unit per the parameter's whole range";
  j["warnings"] = nlohmann::json::array();
  if (id && id->design == "saltelli") {
    for (const std::string& w : sensitivity_warnings(rows, id->design_samples))
      j["warnings"].push_back(w);
  }
  return j.dump(2) + "\n";
}

}  // namespace flywheel
