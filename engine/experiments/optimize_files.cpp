// The files of an optimize folder: best.yaml, candidates.csv, trace.csv, frontier.csv and
// optimize.json (docs/optimize.md#outputs).
#include "optimize_files.hpp"

#include <flywheel/common/version.hpp>
#include <flywheel/experiments/sweep_points.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>

namespace flywheel::optimize_detail {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string yaml_string(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

bool feasible_under(const OptimizeSpec& spec, const Candidate& c, const std::vector<double>& bounds) {
  if (!c.error.empty() || !std::isfinite(c.objective.value)) return false;
  for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
    if (miss(spec.constraints[k], bounds[k], c.constraints[k]) > 0) return false;
  }
  return true;
}

std::vector<double> run_bounds(const OptimizeSpec& spec, const OptimizeRun& run) {
  std::vector<double> bounds;
  for (const OptimizeConstraint& k : spec.constraints) bounds.push_back(k.bound);
  if (spec.frontier_constraint >= 0 && run.label != "main")
    bounds[static_cast<std::size_t>(spec.frontier_constraint)] = run.bound;
  return bounds;
}

std::string best_yaml(const OptimizeSpec& spec, const OptimizeResult& r) {
  const OptimizeRun& run = r.runs.front();
  const Candidate& c = r.candidates[static_cast<std::size_t>(run.best)];
  const bool feasible = feasible_under(spec, c, run_bounds(spec, run));
  std::string y = "# The best candidate of flywheel optimize (docs/optimize.md): the decisions as\n"
                  "# scenario key paths; run it with flywheel run BASE --set PATH=VALUE ...\n";
  y += "spec: " + yaml_string(spec.sweep.file) + "\n";
  y += "base: " + yaml_string(spec.sweep.model.empty() ? spec.sweep.base_file : "model:" + spec.sweep.model) + "\n";
  y += fmt::format("objective: {{{}: {}, value: {}, lo: {}, hi: {}, interval: \"95%\"}}\n",
                   spec.maximize ? "maximize" : "minimize", yaml_string(spec.objective.text),
                   number_or_empty(c.objective.value), number_or_empty(c.objective.lo),
                   number_or_empty(c.objective.hi));
  y += fmt::format("feasible: {}\n", feasible ? "true" : "false");
  if (!spec.constraints.empty()) {
    y += "constraints:\n";
    for (std::size_t k = 0; k < spec.constraints.size(); ++k) {
      const StatisticValue& v = c.constraints[k];
      y += fmt::format("  - {{constraint: {}, value: {}, lo: {}, hi: {}, holds: {}}}\n",
                       yaml_string(spec.constraints[k].text), number_or_empty(v.value),
                       number_or_empty(v.lo), number_or_empty(v.hi),
                       miss(spec.constraints[k], spec.constraints[k].bound, v) <= 0 ? "true"
                                                                                     : "false");
    }
  }
  // (How many candidates were simulated now or read from the cache is in optimize.json: a
  // resumed run writes the same best.yaml.)
  y += "set:\n";
  for (std::size_t i = 0; i < spec.decisions.size(); ++i)
    y += "  " + spec.decisions[i].path + ": " + c.values[i] + "\n";
  return y;
}

std::string candidates_csv(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::string out = "candidate";
  for (const Decision& d : spec.decisions) {
    out += ',';
    out += csv_field(d.path);
  }
  out += ",objective,objective_lo,objective_hi";
  for (std::size_t k = 0; k < spec.constraints.size(); ++k)
    out += fmt::format(",constraint_{0},constraint_{0}_lo,constraint_{0}_hi", k + 1);
  out += ",feasible,cached,error\n";
  const std::vector<double> bounds = run_bounds(spec, r.runs.front());
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    const Candidate& c = r.candidates[i];
    out += std::to_string(i);
    for (const std::string& v : c.values) out += "," + v;
    out += fmt::format(",{},{},{}", number_or_empty(c.objective.value),
                       number_or_empty(c.objective.lo), number_or_empty(c.objective.hi));
    for (const StatisticValue& v : c.constraints)
      out += fmt::format(",{},{},{}", number_or_empty(v.value), number_or_empty(v.lo),
                         number_or_empty(v.hi));
    out += fmt::format(",{},{},{}\n", feasible_under(spec, c, bounds) ? 1 : 0, c.cached ? 1 : 0,
                       csv_field(c.error));
  }
  return out;
}

std::string trace_csv(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::string out = "run,call,candidate,objective,feasible,best_objective\n";
  for (const OptimizeRun& run : r.runs) {
    const std::vector<double> bounds = run_bounds(spec, run);
    double best = kNaN;
    for (std::size_t call = 0; call < run.trace.size(); ++call) {
      const Candidate& c = r.candidates[static_cast<std::size_t>(run.trace[call])];
      const bool feasible = feasible_under(spec, c, bounds);
      if (feasible && (std::isnan(best) || (spec.maximize ? c.objective.value > best
                                                          : c.objective.value < best)))
        best = c.objective.value;
      out += fmt::format("{},{},{},{},{},{}\n", csv_field(run.label), call + 1, run.trace[call],
                         number_or_empty(c.objective.value), feasible ? 1 : 0,
                         number_or_empty(best));
    }
  }
  return out;
}

std::string frontier_csv(const OptimizeSpec& spec, const OptimizeResult& r) {
  std::string out = "bound,objective,objective_lo,objective_hi,feasible,candidate";
  for (const Decision& d : spec.decisions) {
    out += ',';
    out += csv_field(d.path);
  }
  out += "\n";
  for (std::size_t i = 1; i < r.runs.size(); ++i) {
    const OptimizeRun& run = r.runs[i];
    const Candidate& c = r.candidates[static_cast<std::size_t>(run.best)];
    out += fmt::format("{},{},{},{},{},{}", run.bound, number_or_empty(c.objective.value),
                       number_or_empty(c.objective.lo), number_or_empty(c.objective.hi),
                       feasible_under(spec, c, run_bounds(spec, run)) ? 1 : 0, run.best);
    for (const std::string& v : c.values) out += "," + v;
    out += "\n";
  }
  return out;
}

std::string optimize_json(const OptimizeSpec& spec, const OptimizeResult& r, int scenarios,
                          int replicates) {
  nlohmann::ordered_json j;
  j["flywheel_version"] = kVersion;
  j["spec_file"] = spec.sweep.file;
  j["base"] = spec.sweep.model.empty() ? spec.sweep.base_file : "model:" + spec.sweep.model;
  j["engine"] = sweep_engine_name(spec.sweep.engine);
  j["method"] = optimize_method_name(spec.method);
  j["max_evaluations"] = spec.max_evaluations;
  j["scenarios"] = scenarios;
  j["replicates"] = replicates;
  j["objective"] = {{spec.maximize ? "maximize" : "minimize", spec.objective.text}};
  j["constraints"] = nlohmann::ordered_json::array();
  for (const OptimizeConstraint& k : spec.constraints) j["constraints"].push_back(k.text);
  j["decisions"] = nlohmann::ordered_json::array();
  for (const Decision& d : spec.decisions)
    j["decisions"].push_back({{"path", d.path}, {"lo", d.lo}, {"hi", d.hi}, {"integer", d.integer}});
  if (spec.frontier_constraint >= 0)
    j["frontier"] = {{"constraint", spec.constraints[static_cast<std::size_t>(spec.frontier_constraint)].text},
                     {"levels", spec.frontier_levels}};
  const Candidate& best = r.candidates[static_cast<std::size_t>(r.runs.front().best)];
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
  j["best"] = {{"candidate", r.runs.front().best},
               {"values", best.values},
               {"objective", num(best.objective.value)},
               {"lo", num(best.objective.lo)},
               {"hi", num(best.objective.hi)},
               {"feasible", feasible_under(spec, best, run_bounds(spec, r.runs.front()))}};
  j["candidates"] = r.candidates.size();
  j["simulated"] = r.simulated;
  j["cached"] = r.cached;
  if (r.runner_up.candidate >= 0) {
    const Candidate& c = r.candidates[static_cast<std::size_t>(r.runner_up.candidate)];
    j["runner_up"] = {{"candidate", r.runner_up.candidate},
                      {"values", c.values},
                      {"objective", num(c.objective.value)},
                      {"difference", num(r.runner_up.difference)},
                      {"lo", num(r.runner_up.lo)},
                      {"hi", num(r.runner_up.hi)},
                      {"distinguishable", r.runner_up.distinguishable},
                      {"meaning",
                       "best - runner-up, paired over the same samples, 95% interval; not "
                       "distinguishable: add replicates or design samples"}};
  }
  return j.dump(2) + "\n";
}

}  // namespace flywheel::optimize_detail
