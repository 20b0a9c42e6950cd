// Reading the `scenarios:` list of a public-ranges file: each scenario file (resolved from the
// ranges file's folder, as `extends:` is), the kind it is validated as, and the written reasons
// for rows that may sit outside their range.
#include "validation_nodes.hpp"

#include "common/key_path.hpp"

#include <algorithm>
#include <filesystem>

namespace flywheel::loader {

namespace {

namespace fs = std::filesystem;

class AssignmentReader : RangeNodes {
 public:
  AssignmentReader(PublicRanges& out, std::string base_dir, Diagnostics& diagnostics)
      : RangeNodes(diagnostics), out_(out), base_dir_(std::move(base_dir)) {}

  void read_scenarios(const TreeNode* node) {
    if (node == nullptr) return;
    if (node->kind != TreeNode::Kind::sequence || node->items.empty()) {
      add(node->location, "scenarios",
          describe(*node) + " is not allowed; expected a list of {file, kind, reasons}");
      return;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
      const TreeNode& item = node->items[i];
      const std::string path = item_path("scenarios", i);
      if (!expect_map(item, path, "a map with file, kind and reasons")) continue;
      check_keys(item, path, {"file", "kind", "reasons"});
      KindAssignment a;
      a.line = item.location.line;
      a.column = item.location.column;
      if (const TreeNode* n = required(item, "file", "a scenario path relative to this file", path))
        read_scenario_file(*n, path + ".file", a);
      const CompanyKind* kind = nullptr;
      if (const TreeNode* n = required(item, "kind", "a kind id from kinds:", path)) {
        a.kind = text(*n, path + ".kind", "a kind id from kinds:");
        kind = out_.kind(a.kind);
        if (kind == nullptr && !a.kind.empty()) {
          add(n->location, path + ".kind",
              quote(a.kind) + " is not a kind; expected one of " + kind_ids(out_));
        }
      }
      if (const TreeNode* n = child(item, "reasons")) read_reasons(*n, path + ".reasons", kind, a);
      out_.scenarios.push_back(std::move(a));
    }
  }

 private:
  void read_scenario_file(const TreeNode& n, const std::string& path, KindAssignment& a) {
    const std::string given = text(n, path, "a scenario path relative to this file");
    if (given.empty()) return;
    a.file = (fs::path(base_dir_) / given).lexically_normal().generic_string();
    std::error_code ec;
    if (!fs::is_regular_file(a.file, ec)) {
      const std::string resolved = a.file == given ? "" : " (" + a.file + ")";
      add(n.location, path,
          quote(given) + " is not a file" + resolved +
              "; expected a scenario path relative to this file's folder");
    }
    for (const KindAssignment& earlier : out_.scenarios) {
      if (earlier.file == a.file)
        add(n.location, path, quote(given) + " is listed twice; expected each scenario once");
    }
  }

  void read_reasons(const TreeNode& n, const std::string& path, const CompanyKind* kind,
                    KindAssignment& a) {
    if (n.kind == TreeNode::Kind::null) return;
    if (!expect_map(n, path, "a map from row id to the reason its value may sit outside")) return;
    for (const MapEntry& e : n.entries) {
      const std::string reason = text(e.value, path + "." + e.key, "a written reason");
      const bool known =
          kind == nullptr || std::any_of(kind->rows.begin(), kind->rows.end(),
                                         [&](const RangeRow& r) { return r.id == e.key; });
      if (!known) {
        add(e.key_location, path + "." + e.key,
            quote(e.key) + " is not a row of kind " + kind->id + "; expected one of its rows");
      }
      if (!reason.empty()) a.reasons[e.key] = reason;
    }
  }

  PublicRanges& out_;
  std::string base_dir_;
};

}  // namespace

std::string kind_ids(const PublicRanges& ranges) {
  std::string list;
  for (const CompanyKind& k : ranges.kinds) list += (list.empty() ? "" : ", ") + k.id;
  return list.empty() ? "(none defined)" : list;
}

void read_kind_assignments(const TreeNode* node, PublicRanges& ranges, const std::string& base_dir,
                           Diagnostics& diagnostics) {
  AssignmentReader(ranges, base_dir, diagnostics).read_scenarios(node);
}

}  // namespace flywheel::loader
