// Checking a calibration spec against its base scenario, before anything runs: the base loads
// with the spec's `set:` values (its horizon bounds the data's months), each parameter path names
// a numeric scenario parameter whose schema range contains a bounded prior (and truncates an
// unbounded one), and the scenario stays valid with each parameter at its prior's median and both
// ends. Problems of the `--set`-style overrides are mapped back to the spec's own lines.
#include "calibrate_spec_check.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"
#include "scenario/param_schema.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/scenario/loader.hpp>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace flywheel::loader {

namespace {

namespace fs = std::filesystem;

// "market.segments[1].share" -> "market.segments[].share", the schema's form.
std::string schema_path(const std::string& path) {
  std::string out;
  for (const PathStep& step : parse_key_path(path).steps) {
    if (!step.key.empty()) out += (out.empty() ? "" : ".") + step.key;
    if (step.index) out += "[]";
  }
  return out;
}

// The values tried for a parameter: both ends and the median of its prior (inner quantiles for
// unbounded priors).
std::vector<double> trial_values(const Prior& p) {
  auto q = [&p](double u) {
    const boost::math::normal_distribution<double> unit(0, 1);
    switch (p.kind) {
      case Prior::Kind::uniform:
        return p.lo + u * (p.hi - p.lo);
      case Prior::Kind::log_uniform:
        return std::exp(std::log(p.lo) + u * (std::log(p.hi) - std::log(p.lo)));
      case Prior::Kind::normal:
        return std::clamp(p.a + p.b * boost::math::quantile(unit, u), p.lo, p.hi);
      case Prior::Kind::lognormal:
        return std::clamp(std::exp(p.a + p.b * boost::math::quantile(unit, u)), p.lo, p.hi);
    }
    return 0.0;
  };
  return {q(0.5), q(1e-6), q(1 - 1e-6)};
}

class BaseCheck {
 public:
  BaseCheck(CalibrationSpec& spec, Diagnostics& d) : spec_(spec), diag_(d) {}

  // Loads the base with `set:` (and the parameter `param` at `value`); maps --set problems back
  // to the spec's lines. Returns the horizon, or 0 on failure.
  int load(const std::string& text, const std::string& dir, const CalibrationParam* param,
           double value) {
    std::vector<Override> overrides;
    std::vector<std::pair<std::string, SourceLocation>> where;
    for (const SweepParam& p : spec_.fixed) {
      overrides.push_back({p.path, p.domain.values.front()});
      where.push_back({"set." + p.path, {spec_.file, p.line, p.column}});
    }
    if (param != nullptr) {
      overrides.push_back({param->path, fmt::format("{}", param->integer
                                                              ? std::round(value)
                                                              : value)});
      where.push_back({"parameters." + param->path, {spec_.file, param->line, param->column}});
    }
    try {
      return load_scenario_text(text, spec_.base_file, overrides, dir).simulation.months;
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) {
        if (d.file == kOverrideFile && d.line >= 1 && d.line <= static_cast<int>(where.size())) {
          const auto& [path, at] = where[static_cast<std::size_t>(d.line - 1)];
          const bool at_value = param != nullptr && d.line == static_cast<int>(where.size()) &&
                                !d.message.starts_with("unknown key");
          std::string message =
              at_value ? fmt::format("at {}: ", overrides.back().value) : std::string();
          diag_.add(at, path, message + d.message);
        } else {
          diag_.add({d.file, d.line, d.column}, d.path, d.message);
        }
      }
      return 0;
    }
  }

  void run(const SourceLocation& base_at) {
    const FileText read = read_text_file(spec_.base_file, kMaxScenarioBytes, FileKind::regular);
    if (!read.error.empty()) {
      diag_.add(base_at, "base",
                "cannot read " + spec_.base_file + ": " + read.error +
                    "; expected a scenario file, relative to this spec");
      return;
    }
    const fs::path folder = fs::path(spec_.base_file).parent_path();
    const std::string dir = folder.empty() ? "." : folder.string();
    for (const SweepParam& p : spec_.fixed) {
      if (p.path == "simulation.seed" || p.path == "simulation.replicates")
        diag_.add({spec_.file, p.line, p.column}, "set." + p.path,
                  "is set by the calibration; expected seed or replicates at the top of the spec");
    }
    spec_.horizon = load(read.text, dir, nullptr, 0);
    if (spec_.horizon == 0) return;
    for (CalibrationParam& p : spec_.params) {
      const SourceLocation at{spec_.file, p.line, p.column};
      if (p.path.starts_with("simulation.")) {
        diag_.add(at, "parameters." + p.path,
                  "is a simulation setting; expected a model parameter (rates, shares, prices)");
        continue;
      }
      const Param* schema = param_schema().find(schema_path(p.path));
      if (schema != nullptr) {
        const Kind kind = schema->type.kind;
        if (kind != Kind::number && kind != Kind::integer && kind != Kind::schedule) {
          diag_.add(at, "parameters." + p.path,
                    "is not a number; expected the key path of a numeric parameter");
          continue;
        }
        p.integer = kind == Kind::integer;
        const Range& r = schema->type.range;
        if (p.prior.kind == Prior::Kind::uniform || p.prior.kind == Prior::Kind::log_uniform) {
          if (p.prior.lo < r.min || p.prior.hi > r.max) {
            diag_.add(at, "parameters." + p.path,
                      fmt::format("prior [{}, {}] reaches outside the parameter's range {}; "
                                  "expected a prior within it",
                                  p.prior.lo, p.prior.hi, range_text(r)));
            continue;
          }
        }
        p.prior.lo = std::max(p.prior.lo, r.min);  // truncated to the schema's range
        p.prior.hi = std::min(p.prior.hi, r.max);
        if (!(p.prior.lo < p.prior.hi)) {
          diag_.add(at, "parameters." + p.path,
                    "prior lies outside the parameter's range " + range_text(r));
          continue;
        }
      }
      for (const double v : trial_values(p.prior)) {
        if (load(read.text, dir, &p, v) == 0) break;
      }
    }
  }

 private:
  CalibrationSpec& spec_;
  Diagnostics& diag_;
};

}  // namespace

void check_calibration_against_base(CalibrationSpec& spec, const SourceLocation& base_at,
                                    Diagnostics& diagnostics) {
  BaseCheck(spec, diagnostics).run(base_at);
}

}  // namespace flywheel::loader
