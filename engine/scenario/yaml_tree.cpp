#include "yaml_tree.hpp"

#include "common/key_path.hpp"
#include "common/number_syntax.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <unordered_map>

namespace flywheel::loader {

namespace {

constexpr std::size_t kQuoteLimit = 40;

std::string nesting_problem() {
  return "nesting deeper than " + std::to_string(kMaxNesting) + " levels; expected at most " +
         std::to_string(kMaxNesting) + " levels of maps and lists";
}

// YAML forbids tabs in indentation; yaml-cpp's own message for them is cryptic or missing.
bool check_tabs(const std::string& text, const LocateMark& locate, Diagnostics& diagnostics) {
  int line = 0;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view row(text.data() + start, end - start);
    const std::size_t content = row.find_first_not_of(" \t\r");
    const std::size_t tab = row.find('\t');
    if (content != std::string_view::npos && tab < content && row[content] != '#') {
      diagnostics.add(locate(line, static_cast<int>(tab)), "",
                      "tab in indentation; expected spaces (YAML does not allow tabs there)");
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool is_marker(std::string_view row, std::string_view marker) {
  return row.starts_with(marker) &&
         (row.size() == marker.size() || row[marker.size()] == ' ' || row[marker.size()] == '\r');
}

// yaml-cpp's Load keeps the first document and silently drops the rest.
bool check_one_document(const std::string& text, const LocateMark& locate, Diagnostics& diags) {
  bool content_seen = false;
  bool ended = false;
  int line = 0;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view row(text.data() + start, end - start);
    start = end + 1;
    const std::size_t first = row.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || row[first] == '#') continue;
    const bool opens = is_marker(row, "---");
    if ((opens && content_seen) || (ended && !opens && row[0] != '%')) {
      diags.add(locate(line, 0), "",
                "a second YAML document starts here; expected one scenario per file");
      return false;
    }
    if (is_marker(row, "...")) ended = true;
    content_seen = content_seen || (!opens && row[0] != '%');
  }
  return true;
}

class Converter {
 public:
  Converter(const LocateMark& locate, Diagnostics& diagnostics)
      : locate_(locate), diagnostics_(diagnostics) {}

  // False after a problem that leaves no usable tree (reported).
  bool convert(const YAML::Node& node, const std::string& path, int depth,
               const SourceLocation& fallback, TreeNode& out) {
    out.location = where(node.Mark(), fallback);
    if (++nodes_ > kMaxTreeNodes) {
      diagnostics_.add(out.location, path,
                       "more than " + std::to_string(kMaxTreeNodes) +
                           " values (aliases expanded); expected a scenario of ordinary size");
      return false;
    }
    if (depth > kMaxNesting) {
      diagnostics_.add(out.location, path, nesting_problem());
      return false;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = TreeNode::Kind::scalar;
        out.text = node.Scalar();
        out.quoted = node.Tag() != "?";  // "!" for quoted and block scalars: strings, not numbers
        return true;
      case YAML::NodeType::Sequence:
        return convert_sequence(node, path, depth, out);
      case YAML::NodeType::Map:
        return convert_map(node, path, depth, out);
      default:
        out.kind = TreeNode::Kind::null;
        return true;
    }
  }

 private:
  SourceLocation where(const YAML::Mark& mark, const SourceLocation& fallback) const {
    if (mark.line < 0 || mark.column < 0) return fallback;
    return locate_(mark.line, mark.column);
  }

  bool convert_sequence(const YAML::Node& node, const std::string& path, int depth, TreeNode& out) {
    out.kind = TreeNode::Kind::sequence;
    for (const YAML::Node& item : node) {
      TreeNode& child = out.items.emplace_back();
      if (!convert(item, item_path(path, out.items.size() - 1), depth + 1, out.location, child)) {
        return false;
      }
    }
    return true;
  }

  bool convert_map(const YAML::Node& node, const std::string& path, int depth, TreeNode& out) {
    out.kind = TreeNode::Kind::map;
    std::unordered_map<std::string, SourceLocation> seen;
    for (const auto& pair : node) {
      const SourceLocation key_location = where(pair.first.Mark(), out.location);
      if (!pair.first.IsScalar()) {
        diagnostics_.add(key_location, path, "a key must be a plain name; expected name: value");
        continue;
      }
      const std::string& key = pair.first.Scalar();
      const std::string key_path = child_path(path, key);
      if (const auto first = seen.find(key); first != seen.end()) {
        diagnostics_.add(key_location, key_path,
                         "duplicate key (first at " + position_of(first->second, key_location) +
                             "); expected each key once");
        continue;
      }
      seen.emplace(key, key_location);
      MapEntry entry{key, key_location, {}};
      if (!convert(pair.second, key_path, depth + 1, key_location, entry.value)) return false;
      // yaml-cpp marks an empty value where the next line starts: point at its key instead.
      if (entry.value.kind == TreeNode::Kind::null) entry.value.location = key_location;
      out.entries.push_back(std::move(entry));
    }
    return true;
  }

  static std::string position_of(const SourceLocation& first, const SourceLocation& second) {
    std::string text = "line " + std::to_string(first.line);
    if (first.line == second.line) text += ", column " + std::to_string(first.column);
    return text;
  }

  const LocateMark& locate_;
  Diagnostics& diagnostics_;
  std::size_t nodes_ = 0;
};

}  // namespace

const MapEntry* TreeNode::find(std::string_view key) const {
  for (const MapEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

MapEntry* TreeNode::find(std::string_view key) {
  return const_cast<MapEntry*>(static_cast<const TreeNode*>(this)->find(key));
}

std::optional<TreeNode> parse_yaml_tree(const std::string& text, const LocateMark& locate,
                                        Diagnostics& diagnostics) {
  if (!check_tabs(text, locate, diagnostics) || !check_one_document(text, locate, diagnostics)) {
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);  // never LoadAll: Debian's yaml-cpp 0.7 can loop forever in it
  } catch (const YAML::DeepRecursion& e) {
    diagnostics.add(locate(e.mark.line, e.mark.column), "", nesting_problem());
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    diagnostics.add(locate(e.mark.line, e.mark.column), "",
                    "invalid YAML: " + e.msg +
                        "; expected well-formed YAML (check indentation, colons, brackets "
                        "and quotes)");
    return std::nullopt;
  }
  TreeNode tree;
  Converter converter(locate, diagnostics);
  if (!converter.convert(root, "", 0, locate(-1, -1), tree)) return std::nullopt;
  return tree;
}

void deep_merge(TreeNode& base, const TreeNode& over) {
  if (base.kind != TreeNode::Kind::map || over.kind != TreeNode::Kind::map) {
    base = over;
    return;
  }
  base.location = over.location;
  for (const MapEntry& entry : over.entries) {
    if (MapEntry* existing = base.find(entry.key)) {
      existing->key_location = entry.key_location;
      deep_merge(existing->value, entry.value);
    } else {
      base.entries.push_back(entry);
    }
  }
}

const TreeNode* find_path(const TreeNode& root, std::string_view path) {
  const ParsedPath parsed = parse_key_path(path);
  if (!parsed.problem.empty()) return nullptr;
  const TreeNode* node = &root;
  for (const PathStep& step : parsed.steps) {
    if (step.index) {
      if (node->kind != TreeNode::Kind::sequence || *step.index >= node->items.size()) {
        return nullptr;
      }
      node = &node->items[*step.index];
    } else {
      const MapEntry* entry = node->kind == TreeNode::Kind::map ? node->find(step.key) : nullptr;
      if (entry == nullptr) return nullptr;
      node = &entry->value;
    }
  }
  return node;
}

SourceLocation locate_path(const TreeNode& root, std::string path) {
  while (!path.empty()) {
    if (const TreeNode* node = find_path(root, path)) return node->location;
    const std::size_t cut = path.find_last_of(".[");
    path.resize(cut == std::string::npos ? 0 : cut);
  }
  return root.location;
}

std::string describe(const TreeNode& node) {
  switch (node.kind) {
    case TreeNode::Kind::null:
      return "an empty value";
    case TreeNode::Kind::sequence:
      return "a list";
    case TreeNode::Kind::map:
      return "a map";
    case TreeNode::Kind::scalar:
      break;
  }
  if (!node.quoted && classify_number(node.text) != NumberSyntax::none &&
      node.text.size() <= kQuoteLimit) {
    return node.text;
  }
  return quote(node.text);
}

std::string quote(std::string_view text) {
  std::size_t cut = std::min(text.size(), kQuoteLimit);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;  // do not split a UTF-8 character
  }
  std::string out = "\"";
  for (const char c : text.substr(0, cut)) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + (cut < text.size() ? "...\"" : "\"");
}

}  // namespace flywheel::loader
