// Reading the nodes of a public-ranges file (validation_ranges.cpp): the checks its readers share
// on top of the sweep spec's (a required key, a non-empty text), and the reading of its
// `scenarios:` list (validation_assignments.cpp).
#pragma once

#include "sweep_spec_nodes.hpp"

#include <flywheel/experiments/validation.hpp>

#include <string>
#include <string_view>

namespace flywheel::loader {

class RangeNodes : protected SpecNodes {
 public:
  explicit RangeNodes(Diagnostics& diagnostics) : SpecNodes(diagnostics) {}

 protected:
  // The value at `key`, or nullptr with "missing; expected WHAT" recorded at `at.key`.
  const TreeNode* required(const TreeNode& map, std::string_view key, std::string_view what,
                           const std::string& at = "") {
    const TreeNode* n = child(map, key);
    const std::string path = at.empty() ? std::string(key) : at + "." + std::string(key);
    const bool present = n != nullptr && n->kind != TreeNode::Kind::null;
    if (!present)
      add(n != nullptr ? n->location : map.location, path,
          "missing; expected " + std::string(what));
    return present ? n : nullptr;
  }

  // A non-empty scalar; "" (with the problem recorded) otherwise.
  std::string text(const TreeNode& n, const std::string& path, std::string_view what) {
    if (n.kind == TreeNode::Kind::scalar && !n.text.empty()) return n.text;
    add(n.location, path, describe(n) + " is not allowed; expected " + std::string(what));
    return "";
  }
};

// "a, b, c": the ids of the kinds read so far.
std::string kind_ids(const PublicRanges& ranges);

// Reads `scenarios:` (a list of {file, kind, reasons}) into ranges.scenarios; the kinds must be
// read already. Files are resolved from `base_dir` and must exist.
void read_kind_assignments(const TreeNode* node, PublicRanges& ranges, const std::string& base_dir,
                           Diagnostics& diagnostics);

}  // namespace flywheel::loader
