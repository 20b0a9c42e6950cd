// The checks `compare` makes before running anything, shared by the command line and the Python
// module: metric names must exist, and A and B must be pairable.
#include <flywheel/experiments/compare.hpp>
#include <flywheel/common/errors.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace flywheel {

namespace {

Diagnostic command_line_problem(const std::string& path, const std::string& message) {
  return Diagnostic{"<command line>", 0, 0, path, message};
}

}  // namespace

std::vector<Metric> compare_metrics_by_name(const std::vector<std::string>& names) {
  if (names.empty()) return default_compare_metrics();
  std::vector<Metric> metrics;
  std::vector<Diagnostic> problems;
  for (const std::string& name : names) {
    if (name.find('@') != std::string::npos) continue;  // an output: compare_outputs_by_name
    if (const auto m = metric_by_name(name)) {
      metrics.push_back(*m);
    } else {
      problems.push_back(command_line_problem(
          "--metrics", fmt::format("\"{}\" is not a metric; expected names from docs/metrics.md, "
                                   "e.g. arr_usd",
                                   name)));
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return metrics;
}

std::vector<OutputSpec> compare_outputs_by_name(const std::vector<std::string>& names) {
  std::vector<OutputSpec> outputs;
  std::vector<Diagnostic> problems;
  for (const std::string& name : names) {
    if (name.find('@') == std::string::npos) continue;
    std::string problem;
    if (std::optional<OutputSpec> o = parse_output_spec(name, problem)) {
      outputs.push_back(*o);
    } else {
      problems.push_back(command_line_problem("--metrics", "\"" + name + "\" " + problem));
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return outputs;
}

void check_pairable(const Scenario& a, const Scenario& b, const std::vector<int>& months,
                    const std::vector<OutputSpec>& outputs) {
  std::vector<Diagnostic> problems;
  auto differ = [&](const char* key, auto x, auto y) {
    if (x == y) return;
    problems.push_back(command_line_problem(
        key, fmt::format("A has {} and B has {}; expected the same in both (use --set to align "
                         "them)",
                         x, y)));
  };
  differ("simulation.months", a.simulation.months, b.simulation.months);
  differ("simulation.replicates", a.simulation.replicates, b.simulation.replicates);
  differ("simulation.seed", a.simulation.seed, b.simulation.seed);
  for (const int m : months) {
    if (m < 1 || m > a.simulation.months) {
      problems.push_back(command_line_problem(
          "--months", fmt::format("{} is outside the horizon; expected a month in [1, {}]", m,
                                  a.simulation.months)));
    }
  }
  for (const OutputSpec& o : outputs) {
    if (std::max(o.from_month, o.to_month) > a.simulation.months) {
      problems.push_back(command_line_problem(
          "--metrics", fmt::format("{} reaches past the horizon; expected months in [1, {}]",
                                   o.name, a.simulation.months)));
    }
  }
  if (!problems.empty()) throw InputError(problems);
}

}  // namespace flywheel
