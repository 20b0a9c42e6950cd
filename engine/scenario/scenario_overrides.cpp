#include "scenario_overrides.hpp"

#include "common/key_path.hpp"

namespace flywheel::loader {

namespace {

class OverrideApplier {
 public:
  OverrideApplier(const Override& override, int ordinal, Diagnostics& diagnostics)
      : override_(override), ordinal_(ordinal), diagnostics_(diagnostics) {}

  void apply(TreeNode& root) {
    const ParsedPath parsed = parse_key_path(override_.path);
    if (!parsed.problem.empty()) {
      return problem(parsed.problem_offset, parsed.problem);
    }
    if (parsed.steps.front().key == "extends") {  // the chain is already merged by now
      return problem(0,
                     "extends cannot be overridden; expected a scenario key such as "
                     "simulation.months (edit the file to change its base)");
    }
    std::optional<TreeNode> value = parse_value();
    if (!value) return;
    TreeNode* node = &root;
    for (std::size_t i = 0; i < parsed.steps.size() && node != nullptr; ++i) {
      const bool last = i + 1 == parsed.steps.size();
      node = parsed.steps[i].index ? step_into_list(*node, parsed.steps[i])
                                   : step_into_map(*node, parsed.steps[i]);
      if (node != nullptr && last) *node = std::move(*value);
    }
  }

 private:
  SourceLocation at(std::size_t offset) const {
    return {std::string(kOverrideFile), ordinal_, static_cast<int>(offset) + 1};
  }

  void problem(std::size_t offset, std::string message) const {
    diagnostics_.add(at(offset), override_.path, std::move(message));
  }

  // The value is YAML text: a scalar or a flow collection, located within the override text.
  std::optional<TreeNode> parse_value() const {
    const std::size_t value_offset = override_.path.size() + 1;  // after "path="
    const LocateMark locate = [this, value_offset](int line, int column) {
      const std::size_t within = line == 0 && column > 0 ? static_cast<std::size_t>(column) : 0;
      return at(value_offset + within);
    };
    return parse_yaml_tree(override_.value, locate, diagnostics_);
  }

  TreeNode* step_into_map(TreeNode& node, const PathStep& step) const {
    if (node.kind == TreeNode::Kind::null) {  // an empty block in the file: fill it in
      node.kind = TreeNode::Kind::map;
      node.location = at(step.offset);
    }
    if (node.kind != TreeNode::Kind::map) {
      problem(step.offset, "cannot set key " + step.key + " inside " + describe(node) +
                               "; expected a key path through maps and lists");
      return nullptr;
    }
    MapEntry* entry = node.find(step.key);
    if (entry == nullptr) {  // a key absent from the file: the schema decides if it exists
      TreeNode block;
      block.kind = TreeNode::Kind::map;
      block.location = at(step.offset);
      node.entries.push_back(MapEntry{step.key, at(step.offset), std::move(block)});
      entry = &node.entries.back();
    }
    entry->key_location = at(step.offset);
    return &entry->value;
  }

  TreeNode* step_into_list(TreeNode& node, const PathStep& step) const {
    const std::size_t index = *step.index;
    if (node.kind != TreeNode::Kind::sequence) {
      problem(step.offset, "cannot index " + describe(node) + "; expected [N] only after a list");
      return nullptr;
    }
    if (index >= node.items.size()) {
      problem(step.offset, "index " + std::to_string(index) + " is out of range; expected " +
                               (node.items.empty() ? std::string("no index (the list is empty)")
                                                   : "an index from 0 to " +
                                                         std::to_string(node.items.size() - 1)));
      return nullptr;
    }
    return &node.items[index];
  }

  const Override& override_;
  int ordinal_;
  Diagnostics& diagnostics_;
};

}  // namespace

void apply_override(TreeNode& root, const Override& override, int ordinal,
                    Diagnostics& diagnostics) {
  OverrideApplier(override, ordinal, diagnostics).apply(root);
}

}  // namespace flywheel::loader
