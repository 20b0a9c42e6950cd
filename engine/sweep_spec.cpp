// Reading a sweep spec: YAML -> located tree -> typed SweepSpec. Every problem is collected with
// its file:line:col and key path and thrown together; the parameter paths and their extreme
// values are then tried on the base scenario (sweep_spec_check.cpp) before anything runs.
#include <flywheel/sweep.hpp>

#include "did_you_mean.hpp"
#include "key_path.hpp"
#include "number_syntax.hpp"
#include "param_schema.hpp"
#include "sweep_spec_check.hpp"
#include "text_file.hpp"
#include "yaml_tree.hpp"

#include <flywheel/loader.hpp>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using namespace loader;

constexpr std::size_t kMaxSpecBytes = 1 << 20;
constexpr int kMaxSamples = 10'000'000;
constexpr int kMaxReplicates = 1'000'000;
// Points of a whole sweep (policies x scenarios): beyond, the grid of levers alone can overflow
// the point numbers and exhaust memory before anything runs.
constexpr double kMaxPoints = 10'000'000;

using Keys = std::vector<std::string_view>;

class SpecReader {
 public:
  SpecReader(SweepSpec& spec, std::string base_dir, Diagnostics& diagnostics)
      : spec_(spec), base_dir_(std::move(base_dir)), diag_(diagnostics) {}

  void read(const TreeNode& root) {
    if (root.kind == TreeNode::Kind::null) {
      add({spec_.file, 0, 0}, "",
          "empty file; expected a sweep spec map with base, design, levers or uncertainties, "
          "and outputs");
      return;
    }
    if (!expect_map(root, "",
                    "a sweep spec map with base, design, levers or uncertainties, "
                    "and outputs"))
      return;
    check_keys(root, "",
               {"base", "model", "replicates", "seed", "set", "design", "uncertainties", "levers",
                "outputs"});
    read_source(root);
    if (const TreeNode* n = child(root, "replicates"))
      spec_.replicates = static_cast<int>(integer(*n, "replicates", 1, kMaxReplicates, 0));
    if (const TreeNode* n = child(root, "seed"))
      spec_.seed = static_cast<std::uint32_t>(integer(*n, "seed", 0, 4294967295.0, 0));
    read_fixed(child(root, "set"));
    read_design(child(root, "design"), root);
    spec_.levers = read_params(child(root, "levers"), "levers");
    spec_.uncertainties = read_params(child(root, "uncertainties"), "uncertainties");
    if (spec_.levers.empty() && spec_.uncertainties.empty() && diag_.empty()) {
      add(root.location, "",
          "no parameters; expected levers or uncertainties with at least one "
          "parameter path");
    }
    read_outputs(child(root, "outputs"), root);
    if (method_known_) check_design_fits();
  }

 private:
  void add(const SourceLocation& at, std::string path, std::string message) {
    diag_.add(at, std::move(path), std::move(message));
  }

  static const TreeNode* child(const TreeNode& map, std::string_view key) {
    const MapEntry* e = map.kind == TreeNode::Kind::map ? map.find(key) : nullptr;
    return e != nullptr ? &e->value : nullptr;
  }

  bool expect_map(const TreeNode& node, const std::string& path, std::string_view expected) {
    if (node.kind == TreeNode::Kind::map) return true;
    add(node.location, path, describe(node) + " is not a map; expected " + std::string(expected));
    return false;
  }

  void check_keys(const TreeNode& map, const std::string& path, const Keys& allowed) {
    for (const MapEntry& e : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
      std::string message = "unknown key " + quote(e.key);
      if (auto near = did_you_mean(e.key, allowed)) message += "; did you mean " + *near + "?";
      std::string list;
      for (std::string_view k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
      add(e.key_location, path.empty() ? e.key : path + "." + e.key,
          message + "; expected one of " + list);
    }
  }

  std::optional<double> number(const TreeNode& node, const std::string& path) {
    const NumberSyntax syntax = node.kind == TreeNode::Kind::scalar && !node.quoted
                                    ? classify_number(node.text)
                                    : NumberSyntax::none;
    double value = 0;
    if (syntax == NumberSyntax::integer || syntax == NumberSyntax::decimal) {
      // std::stod would throw on 1e999 and 1e-999: refused as bad input like the scenario's.
      if (parse_number_text(node.text, syntax, value) && std::isfinite(value)) return value;
      add(node.location, path, describe(node) + " is out of range; expected a finite number");
      return std::nullopt;
    }
    add(node.location, path, describe(node) + " is not a finite number; expected a number");
    return std::nullopt;
  }

  double integer(const TreeNode& node, const std::string& path, double min, double max,
                 double fallback) {
    double v = 0;
    const bool is_integer = node.kind == TreeNode::Kind::scalar && !node.quoted &&
                            classify_number(node.text) == NumberSyntax::integer &&
                            parse_number_text(node.text, NumberSyntax::integer, v);
    if (!is_integer || v < min || v > max) {
      add(node.location, path,
          describe(node) +
              fmt::format(" is not allowed; expected an integer in [{}, {}]", min, max));
      return fallback;
    }
    return v;
  }

  void read_source(const TreeNode& root) {
    const TreeNode* base = child(root, "base");
    const TreeNode* model = child(root, "model");
    if (base != nullptr && model != nullptr) {
      add(model->location, "model",
          "given with base; expected one of base (a scenario) or "
          "model (a test model)");
    } else if (model != nullptr) {
      if (model->kind == TreeNode::Kind::scalar && model->text == "ishigami") {
        spec_.model = "ishigami";
      } else {
        add(model->location, "model", describe(*model) + " is not a test model; expected ishigami");
      }
    } else if (base == nullptr) {
      add(root.location, "base",
          "missing; expected the path of the base scenario, relative "
          "to this spec's folder");
    } else if (base->kind != TreeNode::Kind::scalar || base->text.empty()) {
      add(base->location, "base",
          describe(*base) +
              " is not a path; expected the path of the "
              "base scenario, relative to this spec's folder");
    } else {
      spec_.base_file = (fs::path(base_dir_) / base->text).lexically_normal().generic_string();
      base_location_ = base->location;
    }
  }

  void read_design(const TreeNode* design, const TreeNode& root) {
    if (design == nullptr) {
      add(root.location, "design",
          "missing; expected a map with method (grid, random, lhs, "
          "sobol, saltelli or morris)");
      return;
    }
    if (!expect_map(*design, "design", "a map with method and samples")) return;
    check_keys(*design, "design", {"method", "samples", "seed", "levels", "bootstrap"});
    design_location_ = design->location;
    const TreeNode* method = child(*design, "method");
    constexpr std::array<DesignMethod, 6> methods = {DesignMethod::grid,     DesignMethod::random,
                                                     DesignMethod::lhs,      DesignMethod::sobol,
                                                     DesignMethod::saltelli, DesignMethod::morris};
    bool known = false;
    for (DesignMethod m : methods) {
      if (method != nullptr && method->kind == TreeNode::Kind::scalar &&
          method->text == design_method_name(m)) {
        spec_.method = m;
        known = true;
      }
    }
    method_known_ = known;
    if (!known) {
      add(method != nullptr ? method->location : design->location, "design.method",
          (method != nullptr ? describe(*method) + " is not a design" : std::string("missing")) +
              "; expected grid, random, lhs, sobol, saltelli or morris");
    }
    if (const TreeNode* n = child(*design, "samples")) {
      spec_.samples = static_cast<int>(integer(*n, "design.samples", 1, kMaxSamples, 1));
    } else if (known && spec_.method != DesignMethod::grid) {
      add(design->location, "design.samples",
          "missing; expected the number of points (trajectories for morris, base samples for "
          "saltelli), an integer >= 1");
    }
    if (const TreeNode* n = child(*design, "seed"))
      spec_.design_seed =
          static_cast<std::uint32_t>(integer(*n, "design.seed", 0, 4294967295.0, 1));
    if (const TreeNode* n = child(*design, "levels"))
      spec_.levels = static_cast<int>(integer(*n, "design.levels", 2, 1000, 4));
    if (const TreeNode* n = child(*design, "bootstrap"))
      spec_.bootstrap = static_cast<int>(integer(*n, "design.bootstrap", 0, 100000, 1000));
  }

  // `set: {path: value}`: scenario parameters changed at every point (e.g. a smaller market).
  void read_fixed(const TreeNode* block) {
    if (block == nullptr || block->kind == TreeNode::Kind::null) return;
    if (!expect_map(*block, "set", "a map from scenario key path to a value")) return;
    for (const MapEntry& e : block->entries) {
      if (e.value.kind != TreeNode::Kind::scalar) {
        add(e.value.location, "set." + e.key,
            describe(e.value) + " is not a scalar; expected a number or a word");
        continue;
      }
      SweepParam p;
      p.path = e.key;
      p.line = e.key_location.line;
      p.column = e.key_location.column;
      p.domain.kind = ParamDomain::Kind::values;
      p.domain.values = {e.value.quoted ? "\"" + e.value.text + "\"" : e.value.text};
      spec_.fixed.push_back(std::move(p));
    }
  }

  std::vector<SweepParam> read_params(const TreeNode* block, const std::string& name) {
    std::vector<SweepParam> params;
    if (block == nullptr || block->kind == TreeNode::Kind::null) return params;
    if (!expect_map(*block, name,
                    "a map from scenario key path to {values: [...]} or "
                    "{range: [lo, hi]}"))
      return params;
    for (const MapEntry& e : block->entries) {
      SweepParam p;
      p.path = e.key;
      p.line = e.key_location.line;
      p.column = e.key_location.column;
      if (read_domain(e.value, name + "." + e.key, p.domain)) params.push_back(std::move(p));
    }
    return params;
  }

  // {values: [...]}, {range: [lo, hi], levels?, log?}, {normal: [mean, sd]},
  // {lognormal: [mu, sigma]} or {triangular: [min, mode, max]}.
  bool read_domain(const TreeNode& node, const std::string& path, ParamDomain& d) {
    if (!expect_map(node, path, "a map with one of values, range, normal, lognormal, triangular"))
      return false;
    check_keys(node, path,
               {"values", "range", "levels", "log", "normal", "lognormal", "triangular"});
    int kinds = 0;
    bool ok = true;
    if (const TreeNode* v = child(node, "values")) {
      ++kinds;
      d.kind = ParamDomain::Kind::values;
      ok = read_values(*v, path + ".values", d) && ok;
    }
    using K = ParamDomain::Kind;
    const std::array<std::pair<std::string_view, K>, 4> numeric = {{{"range", K::range},
                                                                    {"normal", K::normal},
                                                                    {"lognormal", K::lognormal},
                                                                    {"triangular", K::triangular}}};
    for (const auto& [key, kind] : numeric) {
      if (const TreeNode* v = child(node, key)) {
        ++kinds;
        d.kind = kind;
        ok = read_numbers(*v, path + "." + std::string(key), d) && ok;
      }
    }
    if (kinds != 1) {
      add(node.location, path,
          (kinds == 0 ? std::string("no domain") : std::string("more than one domain")) +
              "; expected exactly one of values, range, normal, lognormal, triangular");
      return false;
    }
    if (const TreeNode* v = child(node, "levels")) {
      d.levels = static_cast<int>(integer(*v, path + ".levels", 2, 100000, 0));
      if (d.kind != K::range) add(v->location, path + ".levels", "only a range has levels");
    }
    if (const TreeNode* v = child(node, "log")) {
      d.log = v->kind == TreeNode::Kind::scalar && v->text == "true";
      if (v->kind != TreeNode::Kind::scalar || (v->text != "true" && v->text != "false"))
        add(v->location, path + ".log", describe(*v) + " is not a boolean; expected true or false");
      if (d.kind != K::range) add(v->location, path + ".log", "only a range can be log-uniform");
      if (d.log && d.lo <= 0) {
        add(v->location, path + ".log", "a log range needs lo > 0; expected a positive range");
      }
    }
    return ok;
  }

  bool read_values(const TreeNode& node, const std::string& path, ParamDomain& d) {
    if (node.kind != TreeNode::Kind::sequence || node.items.empty()) {
      add(node.location, path,
          describe(node) + " is not allowed; expected a non-empty list of values");
      return false;
    }
    for (const TreeNode& item : node.items) {
      if (item.kind != TreeNode::Kind::scalar) {
        add(item.location, path, describe(item) + " is not a scalar; expected a number or a word");
        return false;
      }
      d.values.push_back(item.quoted ? "\"" + item.text + "\"" : item.text);
    }
    return true;
  }

  bool read_numbers(const TreeNode& node, const std::string& path, ParamDomain& d) {
    using K = ParamDomain::Kind;
    const std::size_t want = d.kind == K::triangular ? 3 : 2;
    const char* shape = d.kind == K::range       ? "[lo, hi] with lo < hi"
                        : d.kind == K::normal    ? "[mean, sd] with sd > 0"
                        : d.kind == K::lognormal ? "[mu, sigma] of ln(value) with sigma > 0"
                                                 : "[min, mode, max] with min <= mode <= max, "
                                                   "min < max";
    if (node.kind != TreeNode::Kind::sequence || node.items.size() != want) {
      add(node.location, path, describe(node) + " is not allowed; expected " + shape);
      return false;
    }
    std::vector<double> x;
    for (const TreeNode& item : node.items) {
      const std::optional<double> v = number(item, path);
      if (!v) return false;
      x.push_back(*v);
    }
    bool ok = false;
    switch (d.kind) {
      case K::range:
        ok = x[0] < x[1], d.lo = x[0], d.hi = x[1];
        break;
      case K::normal:
        ok = x[1] > 0, d.mean = x[0], d.sd = x[1];
        break;
      case K::lognormal:
        ok = x[1] > 0, d.mean = x[0], d.sd = x[1];
        break;
      case K::triangular:
        ok = x[0] <= x[1] && x[1] <= x[2] && x[0] < x[2], d.lo = x[0], d.mode = x[1], d.hi = x[2];
        break;
      case K::values:
        break;
    }
    if (!ok) {
      add(node.location, path,
          fmt::format("[{}] is empty or inverted; expected {}", fmt::join(x, ", "), shape));
    }
    return ok;
  }

  void read_outputs(const TreeNode* node, const TreeNode& root) {
    if (node == nullptr || node->kind != TreeNode::Kind::sequence || node->items.empty()) {
      add(node != nullptr ? node->location : root.location, "outputs",
          (node != nullptr ? describe(*node) + " is not allowed" : std::string("missing")) +
              "; expected a list such as [arr_usd@36, logo_churn@mean:1-36]");
      return;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const TreeNode& item = node->items[i];
      const std::string path = item_path("outputs", i);
      std::string problem = "is not a scalar";
      std::optional<OutputSpec> out = item.kind == TreeNode::Kind::scalar
                                          ? parse_output_spec(item.text, problem)
                                          : std::nullopt;
      if (!out) {
        add(item.location, path, describe(item) + " " + problem);
        continue;
      }
      if (!spec_.model.empty() && out->name != "y") {
        add(item.location, path, "the ishigami model has one output; expected y");
        continue;
      }
      out->line = item.location.line;
      out->column = item.location.column;
      for (const OutputSpec& earlier : spec_.outputs) {
        if (earlier.name == out->name) add(item.location, path, "repeats " + out->name);
      }
      spec_.outputs.push_back(*out);
    }
  }

  // Design-specific rules: what each parameter must be for the chosen method.
  void check_design_fits() {
    using K = ParamDomain::Kind;
    for (const SweepParam& p : spec_.levers) {
      if (p.domain.kind == K::values || (p.domain.kind == K::range && p.domain.levels > 0))
        continue;
      add({spec_.file, p.line, p.column}, "levers." + p.path,
          "a lever needs values or a range with levels; expected {values: [...]} or "
          "{range: [lo, hi], levels: k} (levers form a full grid)");
    }
    check_point_count();
    if (spec_.method != DesignMethod::grid) return;
    for (const SweepParam& p : spec_.uncertainties) {
      if (p.domain.kind == K::values || (p.domain.kind == K::range && p.domain.levels > 0))
        continue;
      add({spec_.file, p.line, p.column}, "uncertainties." + p.path,
          "the grid design needs values or a range with levels; expected {values: [...]} or "
          "{range: [lo, hi], levels: k}, or another design method");
    }
  }

  static double grid_size(const std::vector<SweepParam>& params) {
    double n = 1;
    for (const SweepParam& p : params) {
      n *= p.domain.kind == ParamDomain::Kind::values ? static_cast<double>(p.domain.values.size())
                                                      : std::max(1, p.domain.levels);
    }
    return n;
  }

  void check_point_count() {
    const double dims = static_cast<double>(spec_.uncertainties.size());
    double scenarios = 1;  // design points of the uncertainties (sweep_points.cpp)
    if (!spec_.uncertainties.empty()) {
      scenarios = spec_.method == DesignMethod::grid       ? grid_size(spec_.uncertainties)
                  : spec_.method == DesignMethod::saltelli ? spec_.samples * (dims + 2)
                  : spec_.method == DesignMethod::morris   ? spec_.samples * (dims + 1)
                                                           : spec_.samples;
    }
    const double policies = grid_size(spec_.levers);
    if (policies * scenarios <= kMaxPoints) return;
    add(design_location_, "design",
        fmt::format("{:.0f} policies x {:.0f} scenarios = {:.0f} points is more than {:.0f}; "
                    "expected fewer lever values or levels, samples or uncertainties",
                    policies, scenarios, policies * scenarios, kMaxPoints));
  }

  SweepSpec& spec_;
  std::string base_dir_;  // where `base:` is resolved from: the spec's folder
  Diagnostics& diag_;
  SourceLocation base_location_, design_location_;
  bool method_known_ = false;

 public:
  const SourceLocation& base_location() const { return base_location_; }
};

}  // namespace

std::string_view design_method_name(DesignMethod method) {
  switch (method) {
    case DesignMethod::grid:
      return "grid";
    case DesignMethod::random:
      return "random";
    case DesignMethod::lhs:
      return "lhs";
    case DesignMethod::sobol:
      return "sobol";
    case DesignMethod::saltelli:
      return "saltelli";
    case DesignMethod::morris:
      return "morris";
  }
  return "?";
}

SweepSpec load_sweep_spec(const std::string& file) {
  const FileText read = read_text_file(file, kMaxSpecBytes);
  if (!read.error.empty())
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  return load_sweep_spec_text(read.text, file, fs::path(file).parent_path().string());
}

SweepSpec load_sweep_spec_text(const std::string& yaml, const std::string& name,
                               const std::string& base_dir) {
  SweepSpec spec;
  spec.file = name;
  Diagnostics diagnostics;
  diagnostics.note_file(name);
  if (yaml.size() > kMaxSpecBytes) {
    diagnostics.add({name, 0, 0}, "", "larger than 1 MiB; expected a sweep spec");
    diagnostics.throw_if_any();
  }
  spec.text = yaml;
  const LocateMark locate = [&name](int line, int column) {
    return SourceLocation{name, line < 0 ? 0 : line + 1, line < 0 || column < 0 ? 0 : column + 1};
  };
  const std::optional<TreeNode> tree = parse_yaml_tree(yaml, locate, diagnostics);
  if (tree) {
    SpecReader reader(spec, base_dir, diagnostics);
    reader.read(*tree);
    if (diagnostics.empty()) check_against_base(spec, reader.base_location(), diagnostics);
  }
  diagnostics.throw_if_any();
  return spec;
}

}  // namespace flywheel
