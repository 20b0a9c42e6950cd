#include "sweep_spec_check.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"
#include "scenario/param_schema.hpp"

#include <flywheel/scenario/loader.hpp>
#include <flywheel/experiments/sweep_points.hpp>

#include <filesystem>
#include <set>

namespace flywheel::loader {

namespace {

struct Located {
  SweepParam* param;
  std::string block;  // "levers" or "uncertainties"
};

std::vector<Located> all_params(SweepSpec& spec) {
  std::vector<Located> all;
  // An optimize spec's decisions are checked as levers and named as what they are.
  for (SweepParam& p : spec.levers) all.push_back({&p, spec.levers_name});
  for (SweepParam& p : spec.uncertainties) all.push_back({&p, "uncertainties"});
  return all;
}

// "market.segments[1].share" -> "market.segments[].share", the schema's form.
std::string schema_path(const std::string& path) {
  const ParsedPath parsed = parse_key_path(path);
  std::string out;
  for (const PathStep& step : parsed.steps) {
    if (!step.key.empty()) out += (out.empty() ? "" : ".") + step.key;
    if (step.index) out += "[]";
  }
  return out;
}

// The values tried for each parameter: both ends of a range, every listed value, a
// distribution's median (its tails are checked point by point when the sweep runs).
std::vector<std::pair<std::string, std::string>> trial_values(const ParamDomain& d) {
  using K = ParamDomain::Kind;
  switch (d.kind) {
    case K::values: {
      std::vector<std::pair<std::string, std::string>> out;
      for (const std::string& v : d.values) out.push_back({v, "value " + v});
      return out;
    }
    case K::range:
    case K::triangular: {
      ParamDomain levels = d;
      levels.kind = K::range;
      levels.levels = 2;
      return {{param_level_text(levels, 0), "the low end " + param_level_text(levels, 0)},
              {param_level_text(levels, 1), "the high end " + param_level_text(levels, 1)}};
    }
    case K::normal:
    case K::lognormal:
      return {{param_value_text(d, 0.5), "the median " + param_value_text(d, 0.5)}};
  }
  return {};
}

class BaseChecker {
 public:
  BaseChecker(SweepSpec& spec, Diagnostics& diagnostics) : spec_(spec), diag_(diagnostics) {}

  void check_model() {
    for (const Located& l : all_params(spec_)) {
      const std::string& path = l.param->path;
      const bool input = path == "x1" || path == "x2" || path == "x3";
      if (input && (l.block == "uncertainties" || spec_.model == "quadratic")) continue;
      add(*l.param, l.block,
          "is not an input of the " + spec_.model + " model; expected " +
              (spec_.model == "quadratic" ? "x1, x2 and x3" : "uncertainties x1, x2 and x3"));
    }
  }

  void check_base(const SourceLocation& base_location) {
    const FileText read = read_text_file(spec_.base_file, kMaxScenarioBytes, FileKind::regular);
    if (!read.error.empty()) {
      diag_.add(base_location, "base",
                "cannot read " + spec_.base_file + ": " + read.error +
                    "; expected a scenario file, relative to this spec");
      return;
    }
    text_ = read.text;
    const std::filesystem::path folder = std::filesystem::path(spec_.base_file).parent_path();
    dir_ = folder.empty() ? std::filesystem::path(".").string() : folder.string();
    std::vector<Located> params = all_params(spec_);
    std::vector<Located> every = params;
    for (SweepParam& p : spec_.fixed) every.push_back({&p, "set"});
    for (const Located& l : every) {
      if (l.param->path == "simulation.seed" || l.param->path == "simulation.replicates") {
        add(*l.param, l.block,
            "is set by the sweep; expected seed or replicates at the top of "
            "the spec");
      }
      if (const Param* p = param_schema().find(schema_path(l.param->path))) {
        l.param->domain.integer = p->type.kind == Kind::integer;
      }
    }
    std::vector<Located> none;
    if (!try_values(none, {}, "")) return;  // the base itself is broken: nothing else to try
    // Each parameter alone at each trial value (its problems, once each), then all together.
    bool ok = true;
    for (const Located& l : params) {
      std::set<std::string> seen;
      for (const auto& [value, which] : trial_values(l.param->domain)) {
        ok = try_values({l}, {value}, which, &seen) && ok;
      }
    }
    if (!ok) return;
    std::vector<std::string> first;
    for (const Located& l : params) first.push_back(trial_values(l.param->domain).front().first);
    try_values(params, first, "the first values of every parameter together");
  }

 private:
  void add(const SweepParam& p, const std::string& block, const std::string& message) {
    if (p.line == 0) {  // `--set` on the command line
      diag_.add({"<command line>", 0, 0}, "--set " + p.path, message);
      return;
    }
    diag_.add({spec_.file, p.line, p.column}, block + "." + p.path, message);
  }

  // Loads the base with these values; maps problems in the values back to the spec's lines
  // (each message once per parameter when `seen` is given).
  bool try_values(const std::vector<Located>& params, const std::vector<std::string>& values,
                  const std::string& which, std::set<std::string>* seen = nullptr) {
    std::vector<Override> overrides;
    std::vector<Located> located;
    for (SweepParam& p : spec_.fixed) {
      overrides.push_back({p.path, p.domain.values.front()});
      located.push_back({&p, "set"});
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      overrides.push_back({params[i].param->path, values[i]});
      located.push_back(params[i]);
    }
    try {
      const Scenario s = load_scenario_text(text_, spec_.base_file, overrides, dir_);
      if (params.empty()) check_output_months(s.simulation.months);
      return true;
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) {
        if (d.file == kOverrideFile && d.line >= 1 && d.line <= static_cast<int>(located.size())) {
          const Located& l = located[static_cast<std::size_t>(d.line - 1)];
          const bool unknown = d.message.starts_with("unknown key");
          std::string message = which.empty() || unknown ? std::string() : "at " + which + ": ";
          if (d.path != l.param->path) message.append(d.path).append(": ");
          message.append(d.message);
          if (seen != nullptr && !seen->insert(d.path + d.message).second) continue;
          add(*l.param, l.block, message);
        } else {
          diag_.add({d.file, d.line, d.column}, d.path, d.message);
        }
      }
      return false;
    }
  }

  void check_output_months(int horizon) {
    for (std::size_t i = 0; i < spec_.outputs.size(); ++i) {
      const OutputSpec& o = spec_.outputs[i];
      if (o.to_month <= horizon) continue;
      diag_.add({spec_.file, o.line, o.column}, item_path("outputs", i),
                o.name + " reaches past the base scenario's horizon of " + std::to_string(horizon) +
                    " months; expected months in [1, " + std::to_string(horizon) + "]");
    }
  }

  SweepSpec& spec_;
  Diagnostics& diag_;
  std::string text_, dir_;
};

}  // namespace

void check_against_base(SweepSpec& spec, const SourceLocation& base_location,
                        Diagnostics& diagnostics) {
  BaseChecker checker(spec, diagnostics);
  if (!spec.model.empty()) {
    checker.check_model();
  } else {
    checker.check_base(base_location);
  }
}

}  // namespace flywheel::loader
