// Reading a calibration spec: YAML -> located tree -> typed CalibrationSpec (keys, priors,
// distance, budget), with the node checks sweep specs use (sweep_spec_nodes.hpp). Every problem
// is collected with its file:line:col and key path; then the spec is checked against its base
// scenario (calibrate_spec_check.cpp) and the data file is read against the horizon.
#include <flywheel/experiments/calibrate.hpp>

#include "calibrate_spec_check.hpp"
#include "sweep_spec_nodes.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"
#include "scenario/yaml_tree.hpp"

#include <flywheel/common/errors.hpp>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using namespace loader;

constexpr std::size_t kMaxSpecBytes = 1 << 20;
constexpr std::size_t kMaxDataBytes = 64 << 20;


class CalibrationReader : SpecNodes {
 public:
  CalibrationReader(CalibrationSpec& spec, std::string dir, Diagnostics& diagnostics)
      : SpecNodes(diagnostics), spec_(spec), dir_(std::move(dir)) {}

  void read(const TreeNode& root) {
    constexpr std::string_view what =
        "a calibration spec map with base, data, parameters and budget";
    if (root.kind == TreeNode::Kind::null) {
      add({spec_.file, 0, 0}, "", "empty file; expected " + std::string(what));
      return;
    }
    if (!expect_map(root, "", what)) return;
    check_keys(root, "",
               {"base", "data", "engine", "replicates", "seed", "set", "parameters", "distance",
                "budget", "forecast"});
    spec_.base_file = path_key(root, "base", "the path of the base scenario", base_at_);
    spec_.data_file = path_key(root, "data", "the path of the data file (CSV)", data_at_);
    if (const TreeNode* n = child(root, "engine")) read_engine(*n);
    if (const TreeNode* n = child(root, "replicates"))
      spec_.replicates = static_cast<int>(integer(*n, "replicates", 1, 10000, 1));
    if (spec_.engine == SweepEngine::mean_field && spec_.replicates > 1) {
      add(child(root, "replicates")->location, "replicates",
          fmt::format("{} with engine mean_field, which has no randomness; expected no "
                      "replicates (or 1), or engine: agent",
                      spec_.replicates));
    }
    if (const TreeNode* n = child(root, "seed"))
      spec_.seed = static_cast<std::uint32_t>(integer(*n, "seed", 0, 4294967295.0, 1));
    read_fixed(child(root, "set"));
    read_params(child(root, "parameters"), root);
    if (const TreeNode* n = child(root, "distance")) read_distance(*n);
    if (const TreeNode* n = child(root, "budget")) read_budget(*n);
    if (const TreeNode* n = child(root, "forecast")) {
      if (expect_map(*n, "forecast", "a map with draws")) {
        check_keys(*n, "forecast", {"draws"});
        if (const TreeNode* d = child(*n, "draws"))
          spec_.forecast_draws = static_cast<int>(integer(*d, "forecast.draws", 1, 100000, 100));
      }
    }
  }

  const SourceLocation& base_at() const { return base_at_; }
  const SourceLocation& data_at() const { return data_at_; }

 private:
  std::string path_key(const TreeNode& root, std::string_view key, std::string_view what,
                       SourceLocation& at) {
    const TreeNode* n = child(root, key);
    const std::string expected =
        fmt::format("; expected {}, relative to this spec's folder", what);
    if (n == nullptr) {
      add(root.location, std::string(key), "missing" + expected);
      return "";
    }
    if (n->kind != TreeNode::Kind::scalar || n->text.empty()) {
      add(n->location, std::string(key), describe(*n) + " is not a path" + expected);
      return "";
    }
    at = n->location;
    return (fs::path(dir_) / n->text).lexically_normal().generic_string();
  }

  void read_engine(const TreeNode& node) {
    for (const SweepEngine e : {SweepEngine::agent, SweepEngine::mean_field}) {
      if (node.kind == TreeNode::Kind::scalar && node.text == sweep_engine_name(e)) {
        spec_.engine = e;
        return;
      }
    }
    add(node.location, "engine",
        describe(node) +
            " is not an engine; expected agent (the agent model's replicates) or mean_field "
            "(the scenario's mean-field twin)");
  }

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

  void read_params(const TreeNode* block, const TreeNode& root) {
    constexpr std::string_view expected =
        "a map from scenario key path to a prior such as {uniform: [lo, hi]}, "
        "{log_uniform: [lo, hi]}, {normal: [mean, sd]} or {lognormal: [mean of ln, sd of ln]}";
    if (block == nullptr) {
      add(root.location, "parameters", "missing; expected " + std::string(expected));
      return;
    }
    if (!expect_map(*block, "parameters", expected)) return;
    if (block->entries.empty()) {
      add(block->location, "parameters", "empty; expected " + std::string(expected));
      return;
    }
    for (const MapEntry& e : block->entries) {
      CalibrationParam p;
      p.path = e.key;
      p.line = e.key_location.line;
      p.column = e.key_location.column;
      if (read_prior(e.value, "parameters." + e.key, p.prior)) spec_.params.push_back(p);
    }
  }

  bool read_prior(const TreeNode& node, const std::string& path, Prior& prior) {
    if (!expect_map(node, path,
                    "a prior such as {uniform: [lo, hi]} or {normal: [mean, sd], "
                    "bounds: [lo, hi]}"))
      return false;
    check_keys(node, path, {"uniform", "log_uniform", "normal", "lognormal", "bounds"});
    const TreeNode* kind_node = nullptr;
    for (const Prior::Kind k : {Prior::Kind::uniform, Prior::Kind::log_uniform,
                                Prior::Kind::normal, Prior::Kind::lognormal}) {
      if (const TreeNode* n = child(node, prior_kind_name(k))) {
        if (kind_node != nullptr) {
          add(n->location, path, "names two priors; expected one of uniform, log_uniform, "
                                 "normal or lognormal");
          return false;
        }
        kind_node = n;
        prior.kind = k;
      }
    }
    if (kind_node == nullptr) {
      add(node.location, path,
          "has no prior; expected one of uniform, log_uniform, normal or lognormal");
      return false;
    }
    const std::string kpath = path + "." + std::string(prior_kind_name(prior.kind));
    auto pair = number_pair(*kind_node, kpath);
    if (!pair) return false;
    prior.a = pair->first;
    prior.b = pair->second;
    switch (prior.kind) {
      case Prior::Kind::uniform:
      case Prior::Kind::log_uniform:
        if (!(prior.a < prior.b)) {
          add(kind_node->location, kpath,
              fmt::format("[{}, {}] is empty; expected lo < hi", prior.a, prior.b));
          return false;
        }
        if (prior.kind == Prior::Kind::log_uniform && !(prior.a > 0)) {
          add(kind_node->location, kpath,
              fmt::format("starts at {}; expected lo > 0 for a log-uniform prior", prior.a));
          return false;
        }
        prior.lo = prior.a;
        prior.hi = prior.b;
        break;
      case Prior::Kind::normal:
      case Prior::Kind::lognormal:
        if (!(prior.b > 0)) {
          add(kind_node->location, kpath,
              fmt::format("has sd {}; expected [mean, sd] with sd > 0", prior.b));
          return false;
        }
        if (prior.kind == Prior::Kind::lognormal) prior.lo = 0;
        break;
    }
    if (const TreeNode* b = child(node, "bounds")) {
      auto bounds = number_pair(*b, path + ".bounds");
      if (!bounds) return false;
      if (!(bounds->first < bounds->second)) {
        add(b->location, path + ".bounds",
            fmt::format("[{}, {}] is empty; expected lo < hi", bounds->first, bounds->second));
        return false;
      }
      prior.lo = std::max(prior.lo, bounds->first);
      prior.hi = std::min(prior.hi, bounds->second);
      if (!(prior.lo < prior.hi)) {
        add(b->location, path + ".bounds", "leaves nothing of the prior; expected an overlap");
        return false;
      }
    }
    return true;
  }

  std::optional<std::pair<double, double>> number_pair(const TreeNode& node,
                                                       const std::string& path) {
    if (node.kind != TreeNode::Kind::sequence || node.items.size() != 2) {
      add(node.location, path, describe(node) + " is not a pair; expected [a, b]");
      return std::nullopt;
    }
    const auto a = number(node.items[0], item_path(path, 0));
    const auto b = number(node.items[1], item_path(path, 1));
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
  }

  void read_distance(const TreeNode& node) {
    if (!expect_map(node, "distance", "a map with form (scaled or relative) and scale")) return;
    check_keys(node, "distance", {"form", "scale"});
    if (const TreeNode* f = child(node, "form")) {
      if (f->kind == TreeNode::Kind::scalar && f->text == "scaled") {
        spec_.distance.form = DistanceSpec::Form::scaled;
      } else if (f->kind == TreeNode::Kind::scalar && f->text == "relative") {
        spec_.distance.form = DistanceSpec::Form::relative;
      } else {
        add(f->location, "distance.form",
            describe(*f) + " is not a form; expected scaled ((sim - data) / scale) or relative "
                           "((sim - data) / |data|)");
      }
    }
    if (const TreeNode* s = child(node, "scale")) {
      if (s->kind == TreeNode::Kind::scalar && s->text == "data") {
        spec_.distance.scale = DistanceSpec::Scale::data;
      } else if (s->kind == TreeNode::Kind::scalar && s->text == "sd") {
        spec_.distance.scale = DistanceSpec::Scale::sd;
      } else {
        add(s->location, "distance.scale",
            describe(*s) + " is not a scale; expected data (the mean |value| of each metric) or "
                           "sd (the data file's sd column)");
      }
      scale_at_ = s->location;
    }
  }

  void read_budget(const TreeNode& node) {
    if (!expect_map(node, "budget", "a map with particles, generations and tolerance")) return;
    check_keys(node, "budget",
               {"particles", "generations", "tolerance", "quantile", "max_simulations",
                "max_attempts", "min_acceptance"});
    if (const TreeNode* n = child(node, "particles"))
      spec_.particles = static_cast<int>(integer(*n, "budget.particles", 4, 1'000'000, 200));
    if (const TreeNode* n = child(node, "generations"))
      spec_.generations = static_cast<int>(integer(*n, "budget.generations", 0, 1000, 8));
    if (const TreeNode* n = child(node, "tolerance")) {
      if (auto v = number(*n, "budget.tolerance")) {
        if (*v < 0) add(n->location, "budget.tolerance", "is negative; expected a number >= 0");
        spec_.tolerance = *v;
      }
    }
    if (const TreeNode* n = child(node, "quantile")) {
      if (auto v = number(*n, "budget.quantile")) {
        if (!(*v > 0 && *v < 1))
          add(n->location, "budget.quantile",
              fmt::format("{} is not allowed; expected a number in (0, 1), e.g. 0.5", *v));
        spec_.quantile = *v;
      }
    }
    if (const TreeNode* n = child(node, "min_acceptance")) {
      if (auto v = number(*n, "budget.min_acceptance")) {
        if (!(*v >= 0 && *v < 1))
          add(n->location, "budget.min_acceptance",
              fmt::format("{} is not allowed; expected a number in [0, 1), e.g. 0.05", *v));
        spec_.min_acceptance = *v;
      }
    }
    if (const TreeNode* n = child(node, "max_simulations"))
      spec_.max_simulations = static_cast<long long>(
          integer(*n, "budget.max_simulations", 1, 1e15, 10'000'000));
    if (const TreeNode* n = child(node, "max_attempts"))
      spec_.max_attempts =
          static_cast<int>(integer(*n, "budget.max_attempts", 1, 100'000'000, 10'000));
  }

  CalibrationSpec& spec_;
  std::string dir_;
  SourceLocation base_at_, data_at_;

 public:
  SourceLocation scale_at_;
};

}  // namespace

std::string_view prior_kind_name(Prior::Kind kind) {
  switch (kind) {
    case Prior::Kind::uniform:
      return "uniform";
    case Prior::Kind::log_uniform:
      return "log_uniform";
    case Prior::Kind::normal:
      return "normal";
    case Prior::Kind::lognormal:
      return "lognormal";
  }
  return "?";
}

CalibrationSpec load_calibration_spec(const std::string& file) {
  const FileText read = read_text_file(file, kMaxSpecBytes);
  if (!read.error.empty())
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  const fs::path folder = fs::path(file).parent_path();
  return load_calibration_spec_text(file, read.text, folder.empty() ? "." : folder.string());
}

CalibrationSpec load_calibration_spec_text(const std::string& file, const std::string& text,
                                           const std::string& dir) {
  CalibrationSpec spec;
  spec.file = file;
  Diagnostics diagnostics;
  diagnostics.note_file(file);
  if (text.size() > kMaxSpecBytes) {
    diagnostics.add({file, 0, 0}, "", "larger than 1 MiB; expected a calibration spec");
    diagnostics.throw_if_any();
  }
  spec.text = text;
  const LocateMark locate = [&file](int line, int column) {
    return SourceLocation{file, line < 0 ? 0 : line + 1, line < 0 || column < 0 ? 0 : column + 1};
  };
  const std::optional<TreeNode> tree = parse_yaml_tree(text, locate, diagnostics);
  if (!tree) diagnostics.throw_if_any();
  CalibrationReader reader(spec, dir.empty() ? "." : dir, diagnostics);
  reader.read(*tree);
  diagnostics.throw_if_any();
  check_calibration_against_base(spec, reader.base_at(), diagnostics);
  diagnostics.throw_if_any();
  const FileText data = read_text_file(spec.data_file, kMaxDataBytes, FileKind::regular);
  if (!data.error.empty()) {
    diagnostics.add(reader.data_at(), "data",
                    "cannot read " + spec.data_file + ": " + data.error +
                        "; expected a CSV file month,metric,value, relative to this spec");
    diagnostics.throw_if_any();
  }
  spec.data_text = data.text;
  spec.data = read_calibration_data(data.text, spec.data_file, spec.horizon, spec.engine);
  if (spec.distance.scale == DistanceSpec::Scale::sd &&
      spec.distance.form == DistanceSpec::Form::scaled) {
    for (const Observation& o : spec.data) {
      if (!std::isnan(o.sd)) continue;
      diagnostics.add(reader.scale_at_, "distance.scale",
                      fmt::format("sd, but {} line {} has no sd; expected an sd on every row, "
                                  "or scale: data",
                                  spec.data_file, o.line));
      break;
    }
  }
  diagnostics.throw_if_any();
  return spec;
}

}  // namespace flywheel
