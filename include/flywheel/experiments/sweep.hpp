// Sweeps (docs/sweeps.md): a YAML spec names a base scenario, parameters by key path with
// their ranges, lists or distributions, a design, replicates and outputs. Levers (policies) form
// a full grid; uncertainties (scenario parameters) follow the design; the two are crossed.
#pragma once

#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel {

enum class DesignMethod { grid, random, lhs, sobol, saltelli, morris };
std::string_view design_method_name(DesignMethod method);

// How each point is evaluated (`engine:` in the spec): the agent model's Monte Carlo replicates,
// or the scenario's mean-field twin (meanfield::expect), once per point, as one replicate.
enum class SweepEngine { agent, mean_field };
std::string_view sweep_engine_name(SweepEngine engine);

// How a parameter's values are chosen. A unit coordinate u in [0, 1) maps to a value by the
// inverse CDF (ranges and distributions) or to list position floor(u * k) (values).
struct ParamDomain {
  enum class Kind { values, range, normal, lognormal, triangular };
  Kind kind = Kind::range;
  std::vector<std::string> values;  // `values`: YAML scalar texts, passed as --set values
  double lo = 0, hi = 0;            // range [lo, hi]; triangular min and max
  double mode = 0;                  // triangular
  double mean = 0, sd = 0;          // normal; lognormal: mean and sd of ln(value)
  bool log = false;                 // range sampled uniformly in ln(value)
  int levels = 0;                   // grid levels of a range (grid design and levers)
  bool integer = false;             // the scenario parameter is an integer: values are rounded
};

struct SweepParam {
  std::string path;  // scenario key path, e.g. "strategy.slg.reps"
  ParamDomain domain;
  int line = 0, column = 0;  // where the spec names it, for messages
};

// One output column: a metric at a month, or a statistic of it over a range of months.
struct OutputSpec {
  enum class Stat { at, mean, min, max, sum };
  std::string name;  // the spec's text, e.g. "arr_usd@36" or "logo_churn@mean:1-36"
  Metric metric{};
  Stat stat = Stat::at;
  int from_month = 0, to_month = 0;  // 1-based, inclusive; 0 = the horizon
  int line = 0, column = 0;          // where the spec names it, for messages
};

struct SweepSpec {
  std::string file;       // as given
  std::string text;       // the spec file's bytes (part of the sweep's identity)
  std::string base_file;  // resolved relative to the spec's folder; empty for a test model
  std::string model;      // "ishigami" for the test-only model hook, else empty
  SweepEngine engine = SweepEngine::agent;
  DesignMethod method = DesignMethod::grid;
  int samples = 0;                    // random/lhs/sobol points; saltelli N; morris trajectories
  int levels = 4;                     // morris grid levels
  std::uint32_t design_seed = 1;      // random, lhs, morris, bootstrap
  int bootstrap = 1000;               // sensitivity bootstrap rounds
  int replicates = 0;                 // per point (0 = the base scenario's; 1 with mean_field)
  std::optional<std::uint32_t> seed;  // simulation seed (default: the base scenario's)
  std::vector<SweepParam> fixed;      // `set:` the same value at every point (one-item `values`)
  std::vector<SweepParam> uncertainties;
  std::vector<SweepParam> levers;
  std::string levers_name = "levers";  // in messages: optimize checks its decisions as levers
  std::vector<OutputSpec> outputs;
};

// What the command line changes in a spec (`flywheel sweep --replicates N --samples N --set
// path=value`), so a run can be shrunk without copying the spec: replicates replaces
// `replicates:`, samples `design.samples`, and each set adds to (or replaces in) `set:`. The
// base scenario is still resolved relative to the spec's folder. A spec loaded with overrides is
// another sweep: they are part of its identity (SweepSpec::text gains a comment line naming
// them), so a folder started without them is not resumed with them.
struct SweepOverrides {
  std::optional<int> replicates, samples;
  std::vector<std::pair<std::string, std::string>> sets;  // path, YAML value text
  bool empty() const { return !replicates && !samples && sets.empty(); }
  // "--replicates 2 --samples 8 --set a.b=3" (empty when none).
  std::string command_line() const;
};

// Reads and checks a spec; every problem (file:line:col, key path, what was expected) is thrown
// together as one InputError. Parameter paths and values are checked against the base scenario.
SweepSpec load_sweep_spec(const std::string& file, const SweepOverrides& overrides = {});

// Same, from spec text in memory: `name` is the file name in messages and `base:` is resolved
// relative to `base_dir` (load_sweep_spec passes the spec's folder).
SweepSpec load_sweep_spec_text(const std::string& yaml, const std::string& name,
                               const std::string& base_dir, const SweepOverrides& overrides = {});

// Parses "metric@M", "metric@last" or "metric@STAT:A-B" (STAT = mean, min, max, sum; A-B
// optional = every month). Returns nullopt and sets `problem` when malformed.
std::optional<OutputSpec> parse_output_spec(const std::string& text, std::string& problem);

// The unit of an output's values, from the metric table (metric_list.inc): the metric's unit,
// except a sum over months of a per-month metric, which loses its "/month" ("USD/month" summed
// is "USD"), and a sum of a stock, which is in unit-months. "" for the test model's y.
std::string output_unit(const OutputSpec& output);

// The value of an output for one replicate's months (NaN when undefined).
double output_value(const OutputSpec& output, const std::vector<MetricValues>& months);

}  // namespace flywheel
