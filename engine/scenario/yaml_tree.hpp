// A YAML document as a tree whose every node keeps where it came from (file, line, column), so
// problems found after merging `extends:` chains and `--set` overrides still point at the source.
// Converting from yaml-cpp also catches what yaml-cpp lets through: duplicate keys, runaway
// nesting, alias bombs, tabs in indentation and extra documents.
#pragma once

#include "common/diagnostics.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

// Deeper input is refused: no scenario needs it, and it keeps every recursion shallow.
inline constexpr int kMaxNesting = 64;
// Values in one document, aliases expanded: refuses "billion laughs" alias bombs early (the
// largest shipped scenario has a few hundred values; a sweep spec lists its values, not points).
inline constexpr std::size_t kMaxTreeNodes = 20000;

struct MapEntry;

struct TreeNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  SourceLocation location;
  std::string text;             // scalar
  bool quoted = false;          // scalar written in quotes (or as a block scalar): always a string
  std::vector<TreeNode> items;  // sequence
  std::vector<MapEntry> entries;  // map, in file order, keys unique

  const MapEntry* find(std::string_view key) const;
  MapEntry* find(std::string_view key);
};

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  TreeNode value;
};

// Maps a yaml-cpp mark (0-based line and column) to a location in the user's terms.
using LocateMark = std::function<SourceLocation(int line, int column)>;

// Parses one YAML document. Returns nothing after a problem that leaves no usable tree
// (invalid YAML, too deep, too many values); duplicate keys are reported and the first kept.
std::optional<TreeNode> parse_yaml_tree(const std::string& text, const LocateMark& locate,
                                        Diagnostics& diagnostics);

// Maps merge key by key, recursively; anything else in `over` replaces what is in `base`.
void deep_merge(TreeNode& base, const TreeNode& over);

// Follows a key path ("market.segments[1].name"); nullptr when it leads nowhere.
const TreeNode* find_path(const TreeNode& root, std::string_view path);

// Where `path` is: its node, or its closest ancestor present in the tree (a default has no node).
SourceLocation locate_path(const TreeNode& root, std::string path);

// How a value is named in a message: 1.5, "abc", a list, a map, an empty value.
std::string describe(const TreeNode& node);
// Text in double quotes, escaped and cut to a readable length.
std::string quote(std::string_view text);

}  // namespace flywheel::loader
