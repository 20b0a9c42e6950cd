// Reading the public-ranges file (docs/validation/public-ranges.yaml): YAML -> located tree ->
// typed PublicRanges. Every problem is collected with its file:line:col and key path and thrown
// together, as the scenario loader and the sweep spec reader do.
#include <flywheel/experiments/validation.hpp>

#include "sweep_spec_nodes.hpp"
#include "validation_nodes.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"
#include "scenario/yaml_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using namespace loader;

constexpr std::size_t kMaxRangesBytes = 1 << 20;
constexpr std::array<std::pair<std::string_view, RowNeeds>, 3> kNeeds = {
    {{"free_tier", RowNeeds::free_tier}, {"trials", RowNeeds::trials}, {"sales", RowNeeds::sales}}};
constexpr std::array<std::pair<std::string_view, ValueFormat>, 5> kFormats = {
    {{"percent", ValueFormat::percent},
     {"times", ValueFormat::times},
     {"months", ValueFormat::months},
     {"days", ValueFormat::days},
     {"number", ValueFormat::number}}};

bool is_identifier(std::string_view s, bool dashes) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [dashes](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (dashes && c == '-');
  });
}

ValueFormat default_format(Metric m) {
  const std::string_view unit = metric_infos()[static_cast<int>(m)].unit;
  if (unit == "ratio") return ValueFormat::percent;
  if (unit == "months") return ValueFormat::months;
  if (unit == "days") return ValueFormat::days;
  return ValueFormat::number;
}

class RangesReader : RangeNodes {
 public:
  RangesReader(PublicRanges& out, std::string base_dir, Diagnostics& diagnostics)
      : RangeNodes(diagnostics), out_(out), base_dir_(std::move(base_dir)) {}

  void read(const TreeNode& root) {
    constexpr std::string_view expected = "a map with sources, kinds and scenarios";
    if (root.kind == TreeNode::Kind::null) {
      add({out_.file, 0, 0}, "", "empty file; expected " + std::string(expected));
      return;
    }
    if (!expect_map(root, "", expected)) return;
    check_keys(root, "", {"sources", "kinds", "scenarios"});
    read_sources(
        required(root, "sources", "a map from source id to label, citation, url and figure"));
    read_kinds(required(root, "kinds", "a map from kind id to description and rows"));
    read_kind_assignments(required(root, "scenarios", "a list of {file, kind, reasons}"), out_,
                          base_dir_, diag_);
  }

 private:
  void read_sources(const TreeNode* node) {
    if (node == nullptr || !expect_map(*node, "sources", "a map from source id to a source"))
      return;
    for (const MapEntry& e : node->entries) {
      const std::string path = "sources." + e.key;
      if (!is_identifier(e.key, true))
        add(e.key_location, path, "is not a source id; expected lower case, digits, _ and -");
      if (!expect_map(e.value, path, "a map with label, citation, url and figure")) continue;
      check_keys(e.value, path, {"label", "citation", "url", "figure"});
      RangeSource s;
      s.id = e.key;
      if (const TreeNode* n =
              required(e.value, "label", "a short name, e.g. Benchmarkit 2025", path))
        s.label = text(*n, path + ".label", "a short name, e.g. Benchmarkit 2025");
      if (const TreeNode* n =
              required(e.value, "citation", "author or publisher, title, year", path))
        s.citation = text(*n, path + ".citation", "author or publisher, title, year");
      if (const TreeNode* n = child(e.value, "url")) s.url = text(*n, path + ".url", "a URL");
      if (const TreeNode* n = required(e.value, "figure", "the figure the source gives", path))
        s.figure = text(*n, path + ".figure", "the figure the source gives");
      out_.sources.push_back(std::move(s));
    }
  }

  void read_kinds(const TreeNode* node) {
    if (node == nullptr || !expect_map(*node, "kinds", "a map from kind id to a kind")) return;
    for (const MapEntry& e : node->entries) {
      const std::string path = "kinds." + e.key;
      if (!is_identifier(e.key, false))
        add(e.key_location, path, "is not a kind id; expected lower case, digits and _");
      if (!expect_map(e.value, path, "a map with description, like and rows")) continue;
      check_keys(e.value, path, {"description", "like", "rows"});
      CompanyKind kind;
      kind.id = e.key;
      if (const TreeNode* n = required(e.value, "description", "what company it is", path))
        kind.description = text(*n, path + ".description", "what company it is");
      if (const TreeNode* n = child(e.value, "like")) {
        kind.like = text(*n, path + ".like", "a kind defined above this one");
        if (const CompanyKind* base = out_.kind(kind.like)) {
          kind.rows = base->rows;
        } else if (!kind.like.empty()) {
          add(n->location, path + ".like",
              quote(kind.like) + " is not a kind defined above; expected one of " + kind_list());
        }
      }
      const TreeNode* rows = child(e.value, "rows");
      if (rows == nullptr && kind.like.empty())
        add(e.value.location, path + ".rows", "missing; expected a list of rows");
      if (rows != nullptr) read_rows(*rows, path + ".rows", kind);
      out_.kinds.push_back(std::move(kind));
    }
  }

  void read_rows(const TreeNode& node, const std::string& path, CompanyKind& kind) {
    if (node.kind != TreeNode::Kind::sequence) {
      add(node.location, path, describe(node) + " is not a list; expected a list of rows");
      return;
    }
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      RangeRow row;
      if (!read_row(node.items[i], item_path(path, i), row)) continue;
      if (std::find(seen.begin(), seen.end(), row.id) != seen.end()) {
        add(node.items[i].location, item_path(path, i) + ".row",
            quote(row.id) + " is already a row of this kind; expected each row once");
        continue;
      }
      seen.push_back(row.id);
      auto same = std::find_if(kind.rows.begin(), kind.rows.end(),
                               [&](const RangeRow& r) { return r.id == row.id; });
      if (same != kind.rows.end()) {
        *same = std::move(row);  // overrides the row of the `like` kind, in its place
      } else {
        kind.rows.push_back(std::move(row));
      }
    }
  }

  bool read_row(const TreeNode& node, const std::string& path, RangeRow& row) {
    if (!expect_map(node, path, "a map with row, metric, range, sources and basis")) return false;
    check_keys(node, path,
               {"row", "label", "metric", "month", "pool_months", "range", "needs", "format",
                "sources", "assumption", "basis"});
    row.path = path;
    row.line = node.location.line;
    row.column = node.location.column;
    bool ok = true;
    if (const TreeNode* n = required(node, "row", "a row id (lower case, digits, _)", path)) {
      row.id = text(*n, path + ".row", "a row id (lower case, digits, _)");
      if (!row.id.empty() && !is_identifier(row.id, false)) {
        add(n->location, path + ".row",
            quote(row.id) +
                " is not a row id; expected lower case, "
                "digits and _");
      }
    }
    ok = !row.id.empty() && ok;
    row.label = row.id;
    if (const TreeNode* n = child(node, "label")) row.label = text(*n, path + ".label", "a name");
    ok = read_metric(node, path, row) && ok;
    if (const TreeNode* n = child(node, "month"))
      row.month = static_cast<int>(integer(*n, path + ".month", 1, 1200, 1));
    if (const TreeNode* n = child(node, "pool_months")) {
      row.pool_months = static_cast<int>(integer(*n, path + ".pool_months", 1, 120, 1));
      if (ok && !pooled_metric_supported(row.metric)) {
        add(n->location, path + ".pool_months",
            std::string(metric_name(row.metric)) +
                " cannot be pooled over months; expected one of trial_conversion, win_rate, "
                "sales_cycle_days, logo_churn, or no pool_months");
      }
    }
    ok = read_range(node, path, row) && ok;
    if (const TreeNode* n = child(node, "needs"))
      read_choice(*n, path + ".needs", kNeeds, row.needs);
    if (const TreeNode* n = child(node, "format"))
      read_choice(*n, path + ".format", kFormats, row.format);
    if (const TreeNode* n = child(node, "assumption")) {
      row.assumption = n->kind == TreeNode::Kind::scalar && n->text == "true";
      if (n->kind != TreeNode::Kind::scalar || (n->text != "true" && n->text != "false"))
        add(n->location, path + ".assumption",
            describe(*n) + " is not a boolean; expected true or false");
    }
    read_row_sources(node, path, row);
    if (const TreeNode* n = required(node, "basis", "how the range follows from its sources", path))
      row.basis = text(*n, path + ".basis", "how the range follows from its sources");
    return ok;
  }

  bool read_metric(const TreeNode& node, const std::string& path, RangeRow& row) {
    const TreeNode* n = required(node, "metric", "a metric name (flywheel metrics)", path);
    if (n == nullptr) return false;
    const std::string name = text(*n, path + ".metric", "a metric name (flywheel metrics)");
    if (name.empty()) return false;
    if (const std::optional<Metric> m = metric_by_name(name)) {
      row.metric = *m;
      row.format = default_format(*m);
      return true;
    }
    std::vector<std::string_view> names;
    for (const MetricInfo& info : metric_infos()) names.push_back(info.name);
    std::string message = quote(name) + " is not a metric";
    if (auto near = did_you_mean(name, names)) message += "; did you mean " + *near + "?";
    add(n->location, path + ".metric", message + "; expected a name from `flywheel metrics`");
    return false;
  }

  bool read_range(const TreeNode& node, const std::string& path, RangeRow& row) {
    const TreeNode* n = required(node, "range", "[low, high]", path);
    if (n == nullptr) return false;
    if (n->kind != TreeNode::Kind::sequence || n->items.size() != 2) {
      add(n->location, path + ".range", describe(*n) + " is not allowed; expected [low, high]");
      return false;
    }
    const std::optional<double> low = number(n->items[0], path + ".range[0]");
    const std::optional<double> high = number(n->items[1], path + ".range[1]");
    if (!low || !high) return false;
    if (*low > *high) {
      add(n->location, path + ".range",
          fmt::format("low {} is above high {}; expected [low, high] with low <= high", *low,
                      *high));
      return false;
    }
    row.low = *low;
    row.high = *high;
    return true;
  }

  void read_row_sources(const TreeNode& node, const std::string& path, RangeRow& row) {
    const TreeNode* n = child(node, "sources");
    if (n == nullptr || (n->kind == TreeNode::Kind::sequence && n->items.empty())) {
      if (row.assumption) return;
      add(n != nullptr ? n->location : node.location, path + ".sources",
          "missing; expected a list of source ids from sources:, or assumption: true when no "
          "public figure was found");
      return;
    }
    if (n->kind != TreeNode::Kind::sequence) {
      add(n->location, path + ".sources",
          describe(*n) + " is not a list; expected a list of source ids");
      return;
    }
    std::vector<std::string_view> ids;
    for (const RangeSource& s : out_.sources) ids.push_back(s.id);
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const std::string id = text(n->items[i], item_path(path + ".sources", i), "a source id");
      if (id.empty()) continue;
      if (out_.source(id) == nullptr) {
        std::string message = quote(id) + " is not a source";
        if (auto near = did_you_mean(id, ids)) message += "; did you mean " + *near + "?";
        add(n->items[i].location, item_path(path + ".sources", i),
            message + "; expected an id from sources:");
        continue;
      }
      row.sources.push_back(id);
    }
  }

  template <typename T, std::size_t N>
  void read_choice(const TreeNode& n, const std::string& path,
                   const std::array<std::pair<std::string_view, T>, N>& choices, T& value) {
    std::string list;
    for (const auto& [name, v] : choices) {
      if (n.kind == TreeNode::Kind::scalar && n.text == name) {
        value = v;
        return;
      }
      list += (list.empty() ? "" : ", ") + std::string(name);
    }
    add(n.location, path, describe(n) + " is not allowed; expected one of " + list);
  }

  std::string kind_list() const { return kind_ids(out_); }

  PublicRanges& out_;
  std::string base_dir_;
};

}  // namespace

const CompanyKind* PublicRanges::kind(std::string_view id) const {
  for (const CompanyKind& k : kinds) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

const RangeSource* PublicRanges::source(std::string_view id) const {
  for (const RangeSource& s : sources) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

PublicRanges load_public_ranges(const std::string& file) {
  const FileText read = read_text_file(file, kMaxRangesBytes);
  if (!read.error.empty())
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  return load_public_ranges_text(read.text, file, fs::path(file).parent_path().string());
}

PublicRanges load_public_ranges_text(const std::string& yaml, const std::string& name,
                                     const std::string& base_dir) {
  PublicRanges ranges;
  ranges.file = name;
  Diagnostics diagnostics;
  diagnostics.note_file(name);
  if (yaml.size() > kMaxRangesBytes) {
    diagnostics.add({name, 0, 0}, "", "larger than 1 MiB; expected a public-ranges file");
    diagnostics.throw_if_any();
  }
  const LocateMark locate = [&name](int line, int column) {
    return SourceLocation{name, line < 0 ? 0 : line + 1, line < 0 || column < 0 ? 0 : column + 1};
  };
  if (const std::optional<TreeNode> tree = parse_yaml_tree(yaml, locate, diagnostics)) {
    RangesReader reader(ranges, base_dir.empty() ? "." : base_dir, diagnostics);
    reader.read(*tree);
  }
  diagnostics.throw_if_any();
  return ranges;
}

}  // namespace flywheel
