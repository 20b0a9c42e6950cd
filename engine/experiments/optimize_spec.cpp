// Reading an optimize spec: the sweep parts (base or model, engine, replicates, seed, set, design,
// uncertainties) by the sweep spec reader, then decisions, objective, constraints, optimizer and
// frontier; the decisions' paths and bounds are tried on the base scenario like sweep levers.
#include <flywheel/experiments/optimize.hpp>

#include "sweep_spec_check.hpp"
#include "sweep_spec_nodes.hpp"
#include "sweep_spec_reader.hpp"

#include "common/text_file.hpp"
#include "scenario/yaml_tree.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using namespace loader;

constexpr std::size_t kMaxSpecBytes = 1 << 20;

class OptimizeReader : SpecNodes {
 public:
  OptimizeReader(OptimizeSpec& spec, Diagnostics& diagnostics)
      : SpecNodes(diagnostics), spec_(spec) {}

  void read(const TreeNode& root) {
    read_decisions(child(root, "decisions"), root);
    read_objective(child(root, "objective"), root);
    read_constraints(child(root, "constraints"));
    read_optimizer(child(root, "optimizer"));
    read_frontier(child(root, "frontier"));
  }

 private:
  void read_decisions(const TreeNode* block, const TreeNode& root) {
    if (block == nullptr || block->kind == TreeNode::Kind::null) {
      add(root.location, "decisions",
          "missing; expected a map from scenario key path to {range: [lo, hi]} (integer: true "
          "for whole numbers)");
      return;
    }
    if (!expect_map(*block, "decisions", "a map from scenario key path to {range: [lo, hi]}"))
      return;
    for (const MapEntry& e : block->entries) {
      const std::string path = "decisions." + e.key;
      Decision d;
      d.path = e.key;
      d.line = e.key_location.line;
      d.column = e.key_location.column;
      if (!expect_map(e.value, path, "{range: [lo, hi]} with optional integer and start")) continue;
      check_keys(e.value, path, {"range", "integer", "start"});
      const TreeNode* range = child(e.value, "range");
      if (range == nullptr || range->kind != TreeNode::Kind::sequence || range->items.size() != 2) {
        add(range != nullptr ? range->location : e.value.location, path + ".range",
            (range != nullptr ? describe(*range) + " is not allowed" : std::string("missing")) +
                "; expected [lo, hi], two numbers with lo < hi");
        continue;
      }
      const auto lo = number(range->items[0], path + ".range[0]");
      const auto hi = number(range->items[1], path + ".range[1]");
      if (!lo || !hi) continue;
      if (!(*lo < *hi)) {
        add(range->location, path + ".range",
            fmt::format("[{}, {}] is empty; expected [lo, hi] with lo < hi", *lo, *hi));
        continue;
      }
      d.lo = *lo;
      d.hi = *hi;
      if (const TreeNode* n = child(e.value, "integer")) {
        if (n->kind == TreeNode::Kind::scalar && !n->quoted && (n->text == "true" || n->text == "false")) {
          d.integer = n->text == "true";
        } else {
          add(n->location, path + ".integer", describe(*n) + " is not allowed; expected true or false");
        }
      }
      if (const TreeNode* n = child(e.value, "start")) {
        if (const auto s = number(*n, path + ".start")) {
          if (*s < d.lo || *s > d.hi) {
            add(n->location, path + ".start",
                fmt::format("{} is outside the range; expected a number in [{}, {}]", *s, d.lo,
                            d.hi));
          } else {
            d.start = *s;
          }
        }
      }
      for (const Decision& earlier : spec_.decisions) {
        if (earlier.path == d.path) add(e.key_location, path, "repeats a decision");
      }
      spec_.decisions.push_back(d);
    }
    if (block->entries.empty())
      add(block->location, "decisions", "is empty; expected at least one decision variable");
  }

  std::optional<OutcomeStatistic> statistic(const TreeNode& node, const std::string& path) {
    if (node.kind != TreeNode::Kind::scalar) {
      add(node.location, path,
          describe(node) + " is not a statistic; expected mean(OUTPUT), P(OUTPUT OP NUMBER) or "
                           "quantile(Q, OUTPUT)");
      return std::nullopt;
    }
    std::string problem;
    auto s = parse_outcome_statistic(node.text, problem);
    if (!s) add(node.location, path, "\"" + node.text + "\" " + problem);
    return s;
  }

  void read_objective(const TreeNode* node, const TreeNode& root) {
    constexpr const char* expected =
        "a map with maximize or minimize, e.g. {maximize: \"P(arr_usd@24 >= 5e6)\"}";
    if (node == nullptr) {
      add(root.location, "objective", std::string("missing; expected ") + expected);
      return;
    }
    if (!expect_map(*node, "objective", expected)) return;
    check_keys(*node, "objective", {"maximize", "minimize"});
    const TreeNode* max = child(*node, "maximize");
    const TreeNode* min = child(*node, "minimize");
    if ((max == nullptr) == (min == nullptr)) {
      add(node->location, "objective", std::string("needs one of maximize or minimize; expected ") + expected);
      return;
    }
    spec_.maximize = max != nullptr;
    if (auto s = statistic(max != nullptr ? *max : *min,
                           max != nullptr ? "objective.maximize" : "objective.minimize"))
      spec_.objective = *s;
  }

  void read_constraints(const TreeNode* node) {
    if (node == nullptr || node->kind == TreeNode::Kind::null) return;
    if (node->kind != TreeNode::Kind::sequence) {
      add(node->location, "constraints",
          describe(*node) + " is not a list; expected a list such as [\"P(cash_usd@min >= 0) >= "
                            "0.9\", \"mean(spend_cumulative_usd@12) <= 2e6\"]");
      return;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const TreeNode& item = node->items[i];
      const std::string path = fmt::format("constraints[{}]", i);
      constexpr const char* expected =
          "; expected STATISTIC <= NUMBER or STATISTIC >= NUMBER, e.g. P(cash_usd@min >= 0) >= "
          "0.9";
      if (item.kind != TreeNode::Kind::scalar) {
        add(item.location, path, describe(item) + " is not a constraint" + expected);
        continue;
      }
      const std::size_t close = item.text.rfind(')');
      const std::string rest = close == std::string::npos ? "" : item.text.substr(close + 1);
      const std::string op = trim_spaces(rest).substr(0, 2);
      if (close == std::string::npos || (op != "<=" && op != ">=")) {
        add(item.location, path, "\"" + item.text + "\" is not a constraint" + expected);
        continue;
      }
      OptimizeConstraint c;
      c.text = trim_spaces(item.text);
      c.at_most = op == "<=";
      c.line = item.location.line;
      c.column = item.location.column;
      const auto bound = parse_finite_number(trim_spaces(rest).substr(2));
      if (!bound) {
        add(item.location, path, "\"" + item.text + "\" has no finite bound" + expected);
        continue;
      }
      c.bound = *bound;
      TreeNode stat_node = item;
      stat_node.text = item.text.substr(0, close + 1);
      const auto s = statistic(stat_node, path);
      if (!s) continue;
      c.statistic = *s;
      spec_.constraints.push_back(c);
    }
  }

  void read_optimizer(const TreeNode* node) {
    if (node == nullptr) return;
    if (!expect_map(*node, "optimizer", "a map with method, max_evaluations, tolerance, seed"))
      return;
    check_keys(*node, "optimizer", {"method", "max_evaluations", "tolerance", "seed"});
    if (const TreeNode* m = child(*node, "method")) {
      bool known = false;
      for (OptimizeMethod method : {OptimizeMethod::cobyla, OptimizeMethod::neldermead,
                                    OptimizeMethod::sbplx, OptimizeMethod::esch,
                                    OptimizeMethod::crs2}) {
        if (m->kind == TreeNode::Kind::scalar && m->text == optimize_method_name(method)) {
          spec_.method = method;
          known = true;
        }
      }
      if (!known) {
        add(m->location, "optimizer.method",
            describe(*m) + " is not a method; expected cobyla, neldermead, sbplx, esch or crs2");
      }
    }
    if (const TreeNode* n = child(*node, "max_evaluations"))
      spec_.max_evaluations =
          static_cast<int>(integer(*n, "optimizer.max_evaluations", 1, 100000, 60));
    if (const TreeNode* n = child(*node, "tolerance")) {
      if (const auto t = number(*n, "optimizer.tolerance")) {
        if (*t > 0 && *t < 1) {
          spec_.tolerance = *t;
        } else {
          add(n->location, "optimizer.tolerance",
              fmt::format("{} is not allowed; expected a number in (0, 1)", *t));
        }
      }
    }
    if (const TreeNode* n = child(*node, "seed"))
      spec_.optimizer_seed =
          static_cast<std::uint32_t>(integer(*n, "optimizer.seed", 0, 4294967295.0, 1));
  }

  void read_frontier(const TreeNode* node) {
    if (node == nullptr) return;
    if (!expect_map(*node, "frontier", "a map with constraint (its number, from 1) and levels"))
      return;
    check_keys(*node, "frontier", {"constraint", "levels"});
    const TreeNode* c = child(*node, "constraint");
    const TreeNode* levels = child(*node, "levels");
    if (c == nullptr) {
      add(node->location, "frontier.constraint",
          "missing; expected the number of the constraint whose bound the frontier varies, "
          "from 1");
    } else {
      const double k = integer(*c, "frontier.constraint", 1, 1000, 0);
      if (k >= 1 && k > static_cast<double>(spec_.constraints.size())) {
        add(c->location, "frontier.constraint",
            fmt::format("{} is not a constraint; expected a number from 1 to {}", k,
                        spec_.constraints.size()));
      } else if (k >= 1) {
        spec_.frontier_constraint = static_cast<int>(k) - 1;
      }
    }
    if (levels == nullptr || levels->kind != TreeNode::Kind::sequence || levels->items.empty() ||
        levels->items.size() > 100) {
      add(levels != nullptr ? levels->location : node->location, "frontier.levels",
          (levels != nullptr ? describe(*levels) + " is not allowed" : std::string("missing")) +
              "; expected a list of 1 to 100 bounds, e.g. [1e6, 2e6, 3e6]");
      return;
    }
    for (std::size_t i = 0; i < levels->items.size(); ++i) {
      if (auto v = number(levels->items[i], fmt::format("frontier.levels[{}]", i)))
        spec_.frontier_levels.push_back(*v);
    }
  }

  OptimizeSpec& spec_;
};

void add_output(SweepSpec& sweep, const OutputSpec& output, int line, int column) {
  for (const OutputSpec& o : sweep.outputs) {
    if (o.name == output.name) return;
  }
  OutputSpec o = output;
  o.line = line;
  o.column = column;
  sweep.outputs.push_back(o);
}

}  // namespace

OptimizeSpec load_optimize_spec(const std::string& file) {
  const FileText read = read_text_file(file, kMaxSpecBytes);
  if (!read.error.empty())
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  return load_optimize_spec_text(read.text, file, fs::path(file).parent_path().string());
}

OptimizeSpec load_optimize_spec_text(const std::string& yaml, const std::string& name,
                                     const std::string& base_dir) {
  OptimizeSpec spec;
  spec.sweep.file = name;
  Diagnostics diagnostics;
  diagnostics.note_file(name);
  if (yaml.size() > kMaxSpecBytes) {
    diagnostics.add({name, 0, 0}, "", "larger than 1 MiB; expected an optimize spec");
    diagnostics.throw_if_any();
  }
  spec.sweep.text = yaml;
  const LocateMark locate = [&name](int line, int column) {
    return SourceLocation{name, line < 0 ? 0 : line + 1, line < 0 || column < 0 ? 0 : column + 1};
  };
  const std::optional<TreeNode> tree = parse_yaml_tree(yaml, locate, diagnostics);
  if (tree && tree->kind != TreeNode::Kind::map) {
    diagnostics.add(tree->location, "",
                    "not a map; expected an optimize spec map with base, decisions, objective "
                    "and optional constraints, uncertainties and design");
  } else if (tree) {
    SpecReadOptions options;
    options.keys = {"base",          "model",     "engine",      "replicates", "seed",
                    "set",           "design",    "uncertainties", "decisions", "objective",
                    "constraints",   "optimizer", "frontier"};
    options.outputs_required = false;
    options.params_required = false;
    options.design_required = false;
    options.quadratic_model = true;
    const SourceLocation base_location =
        read_sweep_part(*tree, spec.sweep, base_dir, diagnostics, options);
    OptimizeReader(spec, diagnostics).read(*tree);
    if (spec.sweep.model == "ishigami") {
      diagnostics.add(tree->location, "model",
                      "ishigami is a sweep test model; expected quadratic, or a base scenario");
    }
    const TreeNode* objective = tree->find("objective") ? &tree->find("objective")->value : nullptr;
    if (objective != nullptr && diagnostics.empty())
      add_output(spec.sweep, spec.objective.output, objective->location.line,
                 objective->location.column);
    for (const OptimizeConstraint& c : spec.constraints)
      add_output(spec.sweep, c.statistic.output, c.line, c.column);
    if (!spec.sweep.model.empty()) {
      for (const OutputSpec& o : spec.sweep.outputs) {
        if (o.name != "y" && o.name != "cost")
          diagnostics.add({name, o.line, o.column}, "objective",
                          o.name + " is not an output of the quadratic model; expected y or cost");
      }
    }
    for (const Decision& d : spec.decisions) {
      for (const std::vector<SweepParam>* block : {&spec.sweep.uncertainties, &spec.sweep.fixed}) {
        for (const SweepParam& p : *block) {
          if (p.path == d.path)
            diagnostics.add({name, d.line, d.column}, "decisions." + d.path,
                            "is also an uncertainty or set; expected each path in one place");
        }
      }
    }
    if (diagnostics.empty()) {
      // The decisions are tried on the base scenario as levers: both ends of each range.
      SweepSpec check = spec.sweep;
      check.levers_name = "decisions";
      for (const Decision& d : spec.decisions) {
        SweepParam p;
        p.path = d.path;
        p.line = d.line;
        p.column = d.column;
        p.domain.kind = ParamDomain::Kind::range;
        p.domain.lo = d.lo;
        p.domain.hi = d.hi;
        p.domain.levels = 2;
        check.levers.push_back(p);
      }
      check_against_base(check, base_location, diagnostics);
      for (std::size_t i = 0; i < spec.decisions.size(); ++i) {
        if (check.levers[i].domain.integer) spec.decisions[i].integer = true;
      }
      spec.sweep.uncertainties = check.uncertainties;
    }
  }
  diagnostics.throw_if_any();
  return spec;
}

}  // namespace flywheel
