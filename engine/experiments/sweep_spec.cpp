// Reading a sweep spec: YAML -> located tree -> typed SweepSpec. Every problem is collected with
// its file:line:col and key path and thrown together; the parameter paths and their extreme
// values are then tried on the base scenario (sweep_spec_check.cpp) before anything runs.
#include <flywheel/experiments/sweep.hpp>

#include "sweep_spec_check.hpp"
#include "sweep_spec_nodes.hpp"
#include "sweep_spec_reader.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"
#include "scenario/yaml_tree.hpp"

#include <flywheel/scenario/loader.hpp>

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

class SpecReader : SpecNodes {
 public:
  SpecReader(SweepSpec& spec, std::string base_dir, Diagnostics& diagnostics,
             SweepOverrides overrides, SpecReadOptions options = {})
      : SpecNodes(diagnostics),
        spec_(spec),
        overrides_(std::move(overrides)),
        base_dir_(std::move(base_dir)),
        options_(std::move(options)) {}

  void read(const TreeNode& root) {
    if (root.kind == TreeNode::Kind::null) {
      add({spec_.file, 0, 0}, "",
          "empty file; expected a sweep spec map with base, design, levers or uncertainties, "
          "and outputs");
      return;
    }
    if (!expect_map(root, "",
                    options_.keys.empty() ? "a sweep spec map with base, design, levers or "
                                            "uncertainties, and outputs"
                                          : "a spec map"))
      return;
    if (options_.keys.empty()) {
      check_keys(root, "",
                 {"base", "model", "engine", "replicates", "seed", "set", "design",
                  "uncertainties", "levers", "outputs"});
    } else {
      check_keys(root, "", options_.keys);
    }
    read_source(root);
    read_engine(child(root, "engine"));
    if (const TreeNode* n = child(root, "replicates"))
      spec_.replicates = static_cast<int>(integer(*n, "replicates", 1, kMaxReplicates, 0));
    if (overrides_.replicates) spec_.replicates = *overrides_.replicates;
    if (spec_.engine == SweepEngine::mean_field && spec_.replicates > 1) {
      add(overrides_.replicates || child(root, "replicates") == nullptr
              ? SourceLocation{"<command line>", 0, 0}
              : child(root, "replicates")->location,
          "replicates",
          fmt::format("{} with engine mean_field, which evaluates each point once (no "
                      "randomness); expected no replicates (or 1), or engine: agent",
                      spec_.replicates));
    }
    if (const TreeNode* n = child(root, "seed"))
      spec_.seed = static_cast<std::uint32_t>(integer(*n, "seed", 0, 4294967295.0, 0));
    read_fixed(child(root, "set"));
    add_command_line_sets();
    read_design(child(root, "design"), root);
    spec_.levers = read_params(child(root, "levers"), "levers");
    spec_.uncertainties = read_params(child(root, "uncertainties"), "uncertainties");
    if (options_.params_required && spec_.levers.empty() && spec_.uncertainties.empty() &&
        diag_.empty()) {
      add(root.location, "",
          "no parameters; expected levers or uncertainties with at least one "
          "parameter path");
    }
    if (options_.outputs_required) read_outputs(child(root, "outputs"), root);
    if (method_known_) check_design_fits();
  }

 private:
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
      } else if (model->kind == TreeNode::Kind::scalar && model->text == "quadratic" &&
                 options_.quadratic_model) {
        spec_.model = "quadratic";
      } else {
        add(model->location, "model",
            describe(*model) + " is not a test model; expected ishigami" +
                (options_.quadratic_model ? " or quadratic" : ""));
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

  // `engine: agent` (the default) or `engine: mean_field`.
  void read_engine(const TreeNode* node) {
    if (node == nullptr) return;
    for (const SweepEngine e : {SweepEngine::agent, SweepEngine::mean_field}) {
      if (node->kind == TreeNode::Kind::scalar && node->text == sweep_engine_name(e)) {
        spec_.engine = e;
        if (e == SweepEngine::mean_field && !spec_.model.empty()) {
          add(node->location, "engine",
              "mean_field with the test model; expected agent, or a base scenario");
        }
        return;
      }
    }
    add(node->location, "engine",
        describe(*node) +
            " is not an engine; expected agent (the agent model's replicates) or mean_field "
            "(the scenario's mean-field twin, one evaluation per point)");
  }

  void read_design(const TreeNode* design, const TreeNode& root) {
    if (design == nullptr && !options_.design_required) {
      spec_.method = DesignMethod::grid;  // one scenario, or the grid of the uncertainties
      method_known_ = true;
      design_location_ = root.location;
      return;
    }
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
    const TreeNode* samples = child(*design, "samples");
    if (samples != nullptr) {
      spec_.samples = static_cast<int>(integer(*samples, "design.samples", 1, kMaxSamples, 1));
    }
    if (overrides_.samples) {
      if (*overrides_.samples < 1 || *overrides_.samples > kMaxSamples) {
        add({"<command line>", 0, 0}, "--samples",
            fmt::format("{} is out of range; expected an integer in [1, {}]", *overrides_.samples,
                        kMaxSamples));
      }
      spec_.samples = *overrides_.samples;
    } else if (samples == nullptr && known && spec_.method != DesignMethod::grid) {
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

  // `--set path=value` on the command line: replaces the spec's `set:` value of that path, or
  // adds one (checked against the base scenario like the spec's own).
  void add_command_line_sets() {
    for (const auto& [path, value] : overrides_.sets) {
      std::erase_if(spec_.fixed, [&](const SweepParam& p) { return p.path == path; });
      SweepParam p;
      p.path = path;
      p.domain.kind = ParamDomain::Kind::values;
      p.domain.values = {value};
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
      if (read_param_domain(e.value, name + "." + e.key, p.domain, diag_))
        params.push_back(std::move(p));
    }
    return params;
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
      if (spec_.model == "ishigami" && out->name != "y") {
        add(item.location, path, "the ishigami model has one output; expected y");
        continue;
      }
      if (spec_.model == "quadratic" && out->name != "y" && out->name != "cost") {
        add(item.location, path, "the quadratic model has two outputs; expected y or cost");
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
  SweepOverrides overrides_;  // from the command line
  std::string base_dir_;  // where `base:` is resolved from: the spec's folder
  SpecReadOptions options_;
  SourceLocation base_location_, design_location_;
  bool method_known_ = false;

 public:
  const SourceLocation& base_location() const { return base_location_; }
};

}  // namespace

namespace loader {

SourceLocation read_sweep_part(const TreeNode& root, SweepSpec& spec, const std::string& base_dir,
                               Diagnostics& diagnostics, const SpecReadOptions& options) {
  SpecReader reader(spec, base_dir, diagnostics, SweepOverrides{}, options);
  reader.read(root);
  return reader.base_location();
}

}  // namespace loader

SweepSpec load_sweep_spec(const std::string& file, const SweepOverrides& overrides) {
  const FileText read = read_text_file(file, kMaxSpecBytes);
  if (!read.error.empty())
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  return load_sweep_spec_text(read.text, file, fs::path(file).parent_path().string(), overrides);
}

SweepSpec load_sweep_spec_text(const std::string& yaml, const std::string& name,
                               const std::string& base_dir, const SweepOverrides& overrides) {
  SweepSpec spec;
  spec.file = name;
  Diagnostics diagnostics;
  diagnostics.note_file(name);
  if (yaml.size() > kMaxSpecBytes) {
    diagnostics.add({name, 0, 0}, "", "larger than 1 MiB; expected a sweep spec");
    diagnostics.throw_if_any();
  }
  spec.text = yaml;
  // The overrides make another sweep (its identity hashes this text); none leave it as it was.
  if (!overrides.empty()) spec.text += "\n# command line: " + overrides.command_line() + "\n";
  const LocateMark locate = [&name](int line, int column) {
    return SourceLocation{name, line < 0 ? 0 : line + 1, line < 0 || column < 0 ? 0 : column + 1};
  };
  const std::optional<TreeNode> tree = parse_yaml_tree(yaml, locate, diagnostics);
  if (tree) {
    SpecReader reader(spec, base_dir, diagnostics, overrides);
    reader.read(*tree);
    if (diagnostics.empty()) check_against_base(spec, reader.base_location(), diagnostics);
  }
  diagnostics.throw_if_any();
  return spec;
}

}  // namespace flywheel
