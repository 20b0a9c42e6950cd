#include "scenario_builder.hpp"

#include "param_values.hpp"

#include "common/key_path.hpp"

#include <algorithm>
#include <string>

namespace flywheel::loader {

namespace {

class ScenarioBuilder {
 public:
  ScenarioBuilder(const ParamSchema& schema, Diagnostics& diagnostics)
      : schema_(schema), diagnostics_(diagnostics) {}

  Scenario build(const TreeNode& root) {
    if (root.kind != TreeNode::Kind::map) {
      diagnostics_.add(root.location, "",
                       describe(root) +
                           " is not a map; expected a scenario map with keys such "
                           "as name, market, funnel");
      return scenario_;
    }
    walk_map(&root, "", "", root.location, true);
    return scenario_;
  }

 private:
  // `map` is nullptr for a block left out; `where` locates missing keys (the block's key).
  void walk_map(const TreeNode* map, std::string_view pattern, const std::string& shown,
                const SourceLocation& where, bool report_missing) {
    const std::vector<const Param*> children = schema_.children(pattern);
    const std::vector<std::string> misspelt =
        map != nullptr ? report_unknown_keys(*map, children, shown) : std::vector<std::string>{};
    for (const Param* child : children) {
      const std::string_view key = key_of(child->path);
      const MapEntry* entry = map != nullptr ? map->find(key) : nullptr;
      const std::string child_shown = child_path(shown, key);
      if (entry == nullptr) {
        // A key already reported as misspelt is not reported missing as well.
        const bool reported = std::find(misspelt.begin(), misspelt.end(), key) != misspelt.end();
        walk_absent(*child, child_shown, where, report_missing && !reported);
      } else {
        walk_present(*child, *entry, child_shown);
      }
    }
  }

  // Returns the keys that unknown keys were taken to be misspellings of.
  std::vector<std::string> report_unknown_keys(const TreeNode& map,
                                               const std::vector<const Param*>& children,
                                               const std::string& shown) {
    std::vector<std::string_view> known;
    for (const Param* child : children) known.push_back(key_of(child->path));
    std::vector<std::string> misspelt;
    for (const MapEntry& entry : map.entries) {
      if (std::find(known.begin(), known.end(), entry.key) != known.end()) continue;
      if (auto meant = report_unknown_key(entry, shown, known, diagnostics_)) {
        misspelt.push_back(std::move(*meant));
      }
    }
    return misspelt;
  }

  void walk_absent(const Param& param, const std::string& shown, const SourceLocation& where,
                   bool report_missing) {
    if (param.presence == Presence::required) {
      if (report_missing) {
        diagnostics_.add(where, shown, "missing; expected " + expected_text(param.type));
      }
      return;
    }
    switch (param.type.kind) {
      case Kind::map:
        walk_map(nullptr, param.path, shown, where, false);
        mark_block(param, false);  // after the defaults: an absent lever block is off
        return;
      case Kind::list:
        param.list.resize(scenario_, 0);
        return;
      default:
        if (param.access.set) param.access.set(scenario_, indices_, param.default_value);
    }
  }

  void walk_present(const Param& param, const MapEntry& entry, const std::string& shown) {
    const TreeNode& value = entry.value;
    switch (param.type.kind) {
      case Kind::map:
        mark_block(param, true);  // before the keys: an `enabled: false` inside wins
        if (value.kind == TreeNode::Kind::null) {  // an emptied block: all its defaults
          walk_map(nullptr, param.path, shown, entry.key_location, true);
        } else if (value.kind != TreeNode::Kind::map) {
          type_problem(param, value, shown, describe(value) + " is not a map");
        } else {
          walk_map(&value, param.path, shown, entry.key_location, true);
        }
        return;
      case Kind::list:
        walk_list(param, entry, shown);
        return;
      default:
        walk_leaf(param, value, shown);
    }
  }

  // Blocks with an accessor record whether they are present (strategy levers: absent = off).
  void mark_block(const Param& param, bool present) {
    if (param.access.set) param.access.set(scenario_, indices_, Value{present});
  }

  void walk_list(const Param& param, const MapEntry& entry, const std::string& shown) {
    const TreeNode& value = entry.value;
    if (value.kind != TreeNode::Kind::sequence && value.kind != TreeNode::Kind::null) {
      return type_problem(param, value, shown, describe(value) + " is not a list");
    }
    const std::size_t count = value.items.size();
    if (count < param.min_items) {
      const bool null = value.kind == TreeNode::Kind::null;
      return type_problem(param, value, shown, null ? "no value" : "an empty list");
    }
    param.list.resize(scenario_, count);
    const std::string item_pattern = std::string(param.path) + "[]";
    for (std::size_t i = 0; i < count; ++i) {
      const TreeNode& item = value.items[i];
      const std::string item_shown = item_path(shown, i);
      if (item.kind != TreeNode::Kind::map) {
        diagnostics_.add(item.location, item_shown,
                         describe(item) + " is not a map; expected a map of " +
                             join_names(child_keys(item_pattern)));
        continue;
      }
      indices_.push_back(i);
      walk_map(&item, item_pattern, item_shown, item.location, true);
      indices_.pop_back();
    }
  }

  void walk_leaf(const Param& param, const TreeNode& value, const std::string& shown) {
    const std::optional<Value> parsed = parse_leaf(param.type, value, shown, diagnostics_);
    if (parsed && param.access.set) param.access.set(scenario_, indices_, *parsed);
  }

  void type_problem(const Param& param, const TreeNode& value, const std::string& shown,
                    const std::string& problem) {
    diagnostics_.add(value.location, shown, problem + "; expected " + expected_text(param.type));
  }

  std::vector<std::string_view> child_keys(std::string_view pattern) const {
    std::vector<std::string_view> keys;
    for (const Param* child : schema_.children(pattern)) keys.push_back(key_of(child->path));
    return keys;
  }

  const ParamSchema& schema_;
  Diagnostics& diagnostics_;
  Scenario scenario_;
  Indices indices_;
};

}  // namespace

Scenario build_scenario(const TreeNode& root, const ParamSchema& schema, Diagnostics& diagnostics) {
  return ScenarioBuilder(schema, diagnostics).build(root);
}

}  // namespace flywheel::loader
