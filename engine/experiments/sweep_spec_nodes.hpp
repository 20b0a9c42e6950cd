// Reading the nodes of a sweep spec: the checks every part of the spec reader shares (a map,
// known keys, a number, an integer in range), each problem recorded with its location, and the
// reading of a parameter's domain ({values}, {range}, {normal}, {lognormal}, {triangular}).
#pragma once

#include "common/diagnostics.hpp"
#include "common/did_you_mean.hpp"
#include "common/number_syntax.hpp"
#include "scenario/yaml_tree.hpp"

#include <flywheel/experiments/sweep.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

class SpecNodes {
 public:
  explicit SpecNodes(Diagnostics& diagnostics) : diag_(diagnostics) {}

 protected:
  using Keys = std::vector<std::string_view>;

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


  Diagnostics& diag_;
};

// Reads a parameter's domain at `path`; false (with the problems recorded) when it is unusable.
bool read_param_domain(const TreeNode& node, const std::string& path, ParamDomain& domain,
                       Diagnostics& diagnostics);

}  // namespace flywheel::loader
