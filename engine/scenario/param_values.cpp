#include "param_values.hpp"

#include "common/did_you_mean.hpp"
#include "common/key_path.hpp"
#include "common/number_syntax.hpp"

#include <flywheel/spec/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace flywheel::loader {

namespace {

// Integer fields without an upper bound in the schema are stored as int.
constexpr double kIntLimit = std::numeric_limits<int>::max();

class LeafReader {
 public:
  LeafReader(const std::string& path, Diagnostics& diagnostics)
      : path_(path), diagnostics_(diagnostics) {}

  // Both report and return "no value", so that a check reads `return problem(...)`.
  std::nullopt_t problem(const TreeNode& node, const std::string& what,
                         const ValueType& type) const {
    diagnostics_.add(node.location, path_, what + "; expected " + expected_text(type));
    return std::nullopt;
  }
  std::nullopt_t problem_at(const TreeNode& node, const std::string& path,
                            const std::string& text) const {
    diagnostics_.add(node.location, path, text);
    return std::nullopt;
  }

  std::optional<double> number(const TreeNode& node, const ValueType& type, bool integral) const;
  std::optional<std::string> text(const TreeNode& node, const ValueType& type) const;
  std::optional<bool> boolean(const TreeNode& node, const ValueType& type) const;
  std::optional<std::string> one_of(const TreeNode& node, const ValueType& type,
                                    const std::vector<std::string_view>& names,
                                    std::string_view noun) const;
  std::optional<Schedule> schedule(const TreeNode& node, const ValueType& type) const;
  std::optional<StageSet> stage_list(const TreeNode& node, const ValueType& type) const;
  std::optional<StageShares> stage_shares(const TreeNode& node, const ValueType& type) const;

 private:
  std::optional<Schedule::Piece> piece(const TreeNode& node, const ValueType& type,
                                       const std::string& path) const;

  const std::string& path_;
  Diagnostics& diagnostics_;
};

// What is wrong with a number against its range, worded for the user ("-3 is negative").
std::optional<std::string> range_problem(double v, const Range& range, const std::string& shown) {
  if (v < range.min || (range.min_open && v == range.min)) {
    if (v < 0 && range.min >= 0) return shown + " is negative";
    if (v == range.min) return shown + " is not above " + format_number(range.min);
    return shown + " is below " + format_number(range.min);
  }
  if (v > range.max || (range.max_open && v == range.max)) {
    if (v == range.max) return shown + " is not below " + format_number(range.max);
    return shown + " is above " + format_number(range.max);
  }
  return std::nullopt;
}

std::optional<double> LeafReader::number(const TreeNode& node, const ValueType& type,
                                         bool integral) const {
  const std::string noun = integral ? "an integer" : "a number";
  if (node.kind == TreeNode::Kind::null) return problem(node, "no value", type);
  if (node.kind != TreeNode::Kind::scalar) {
    return problem(node, describe(node) + " is not " + noun, type);
  }
  const NumberSyntax syntax = classify_number(node.text);
  if (node.quoted && syntax != NumberSyntax::none) {
    return problem(node, quote(node.text) + " is quoted text, not " + noun, type);
  }
  const std::string shown = describe(node);
  if (node.quoted || syntax == NumberSyntax::none) {
    return problem(node, shown + " is not " + noun, type);
  }
  if (syntax == NumberSyntax::infinity || syntax == NumberSyntax::nan) {
    return problem(node, shown + " is not finite", type);
  }
  double value = 0;
  if (!parse_number_text(node.text, syntax, value) || !std::isfinite(value)) {
    return problem(node, shown + " is out of range", type);
  }
  if (integral && value != std::trunc(value)) {
    return problem(node, shown + " is not an integer", type);
  }
  Range range = type.range;
  if (integral && !std::isfinite(range.max)) range.max = kIntLimit;
  if (auto bad = range_problem(value, range, shown)) {
    if (range.max != type.range.max && value > range.max) bad = shown + " is out of range";
    return problem(node, *bad, type);
  }
  return value;
}

std::optional<std::string> LeafReader::text(const TreeNode& node, const ValueType& type) const {
  if (node.kind == TreeNode::Kind::null) return problem(node, "no value", type);
  if (node.kind != TreeNode::Kind::scalar) {
    return problem(node, describe(node) + " is not a string", type);
  }
  if (type.kind == Kind::label && node.text.empty()) {
    return problem(node, "empty string", type);
  }
  if (type.kind == Kind::identifier) {
    const std::string& t = node.text;
    bool ok = !t.empty() && t[0] >= 'a' && t[0] <= 'z';
    for (const char c : t) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!ok) return problem(node, quote(t) + " is not a valid name", type);
  }
  return node.text;
}

// YAML 1.2 core schema booleans only: "yes", "on" and quoted text are not booleans.
std::optional<bool> LeafReader::boolean(const TreeNode& node, const ValueType& type) const {
  if (node.kind == TreeNode::Kind::null) return problem(node, "no value", type);
  if (node.kind != TreeNode::Kind::scalar || node.quoted) {
    return problem(node, describe(node) + " is not a boolean", type);
  }
  for (const auto& [text, value] :
       {std::pair{"true", true}, std::pair{"True", true}, std::pair{"TRUE", true},
        std::pair{"false", false}, std::pair{"False", false}, std::pair{"FALSE", false}}) {
    if (node.text == text) return value;
  }
  return problem(node, describe(node) + " is not a boolean", type);
}

std::optional<std::string> LeafReader::one_of(const TreeNode& node, const ValueType& type,
                                              const std::vector<std::string_view>& names,
                                              std::string_view noun) const {
  std::optional<std::string> name = text(node, type);
  if (!name) return std::nullopt;
  for (const std::string_view known : names) {
    if (known == *name) return name;
  }
  const std::string head = quote(*name) + " is not " + std::string(noun);
  if (const auto suggestion = did_you_mean(*name, names)) {
    problem_at(node, path_, head + "; did you mean " + *suggestion + "?");
  } else {
    problem(node, head, type);
  }
  return std::nullopt;
}

std::optional<Schedule::Piece> LeafReader::piece(const TreeNode& node, const ValueType& type,
                                                 const std::string& path) const {
  static const std::vector<std::string_view> kPieceKeys = {"from_month", "value"};
  if (node.kind != TreeNode::Kind::map) {
    return problem_at(node, path,
                      describe(node) + " is not a map; expected {from_month: M, value: V}");
  }
  std::vector<std::string> misspelt;
  for (const MapEntry& entry : node.entries) {
    if (entry.key != "from_month" && entry.key != "value") {
      if (auto meant = report_unknown_key(entry, path, kPieceKeys, diagnostics_)) {
        misspelt.push_back(std::move(*meant));
      }
    }
  }
  const auto read_key = [&](std::string_view key, const ValueType& key_type,
                            bool integral) -> std::optional<double> {
    const std::string key_path = child_path(path, key);
    const MapEntry* entry = node.find(key);
    if (entry == nullptr) {
      if (std::find(misspelt.begin(), misspelt.end(), key) != misspelt.end()) return std::nullopt;
      return problem_at(node, key_path, "missing; expected " + expected_text(key_type));
    }
    return LeafReader(key_path, diagnostics_).number(entry->value, key_type, integral);
  };
  const auto month =
      read_key("from_month", {Kind::integer, "an integer month", Range{0}, {}}, true);
  const auto value = read_key("value", {Kind::number, type.what, type.range, {}}, false);
  if (!month || !value) return std::nullopt;
  return Schedule::Piece{static_cast<int>(*month), *value};
}

std::optional<Schedule> LeafReader::schedule(const TreeNode& node, const ValueType& type) const {
  if (node.kind != TreeNode::Kind::sequence) {
    if (node.kind == TreeNode::Kind::map) {
      return problem(node, "a map is not a schedule", type);
    }
    const auto value = number(node, type, false);
    return value ? std::optional(Schedule::constant(*value)) : std::nullopt;
  }
  if (node.items.empty()) return problem(node, "an empty list", type);
  Schedule out{{}};
  bool ok = true;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = item_path(path_, i);
    const auto piece_value = piece(node.items[i], type, path);
    if (!piece_value) {
      ok = false;
      continue;
    }
    const TreeNode& month_node = node.items[i].find("from_month")->value;
    if (out.pieces.empty() && piece_value->from_month != 0) {
      problem_at(month_node, path + ".from_month",
                 month_node.text + " is not 0; expected the first piece to start at month 0");
      ok = false;
    } else if (!out.pieces.empty() && piece_value->from_month <= out.pieces.back().from_month) {
      problem_at(month_node, path + ".from_month",
                 month_node.text + " is not after the previous piece's month " +
                     std::to_string(out.pieces.back().from_month) +
                     "; expected from_month to increase strictly");
      ok = false;
    }
    out.pieces.push_back(*piece_value);
  }
  return ok ? std::optional(out) : std::nullopt;
}

std::size_t stage_index(std::string_view name) {
  for (std::size_t i = 0; i < kStageNames.size(); ++i) {
    if (name == kStageNames[i]) return i;
  }
  return kStageNames.size();
}

std::optional<StageSet> LeafReader::stage_list(const TreeNode& node, const ValueType& type) const {
  if (node.kind != TreeNode::Kind::sequence) {
    return problem(node, describe(node) + " is not a list", type);
  }
  StageSet set{};
  bool ok = true;
  const ValueType name_type{Kind::choice, "a stage", {}, type.choices};
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = item_path(path_, i);
    const auto name = LeafReader(path, diagnostics_)
                          .one_of(node.items[i], name_type, type.choices, "an allowed stage");
    if (!name) {
      ok = false;
    } else if (set[stage_index(*name)]) {
      problem_at(node.items[i], path, *name + " is listed twice; expected each stage once");
      ok = false;
    } else {
      set[stage_index(*name)] = true;
    }
  }
  return ok ? std::optional(set) : std::nullopt;
}

std::optional<StageShares> LeafReader::stage_shares(const TreeNode& node,
                                                    const ValueType& type) const {
  if (node.kind != TreeNode::Kind::map) {
    return problem(node, describe(node) + " is not a map", type);
  }
  StageShares shares{};
  bool ok = true;
  const ValueType share_type{Kind::number, "a share", Range{0, 1}, {}};
  for (const MapEntry& entry : node.entries) {
    const std::size_t stage = stage_index(entry.key);
    const bool allowed =
        std::find(type.choices.begin(), type.choices.end(), entry.key) != type.choices.end();
    if (!allowed || stage == kStageNames.size()) {
      report_unknown_key(entry, path_, type.choices, diagnostics_);
      ok = false;
      continue;
    }
    const auto share = LeafReader(child_path(path_, entry.key), diagnostics_)
                           .number(entry.value, share_type, false);
    ok = ok && share.has_value();
    if (share) shares[stage] = *share;
  }
  double sum = 0;
  for (const double share : shares) sum += share;
  if (ok && std::fabs(sum - 1.0) > 1e-6) {
    problem_at(node, path_, "shares sum to " + format_rounded(sum) + "; expected a sum of 1");
    ok = false;
  }
  return ok ? std::optional(shares) : std::nullopt;
}

std::vector<std::string_view> metric_names() {
  std::vector<std::string_view> names;
  for (const MetricInfo& info : metric_infos()) names.push_back(info.name);
  return names;
}

template <class T>
std::optional<Value> widen(std::optional<T> v) {
  return v ? std::optional<Value>(Value{std::move(*v)}) : std::nullopt;
}

}  // namespace

std::optional<Value> parse_leaf(const ValueType& type, const TreeNode& node,
                                const std::string& path, Diagnostics& diagnostics) {
  const LeafReader read(path, diagnostics);
  switch (type.kind) {
    case Kind::integer: {
      const auto v = read.number(node, type, true);
      return v ? std::optional<Value>(static_cast<std::int64_t>(*v)) : std::nullopt;
    }
    case Kind::number:
      return widen(read.number(node, type, false));
    case Kind::boolean:
      return widen(read.boolean(node, type));
    case Kind::text:
    case Kind::label:
    case Kind::identifier:
      return widen(read.text(node, type));
    case Kind::choice:
      return widen(read.one_of(node, type, type.choices, "a choice"));
    case Kind::metric:
      return widen(read.one_of(node, type, metric_names(), "a known metric"));
    case Kind::schedule:
      return widen(read.schedule(node, type));
    case Kind::stage_list:
      return widen(read.stage_list(node, type));
    case Kind::stage_shares:
      return widen(read.stage_shares(node, type));
    case Kind::map:
    case Kind::list:
      break;
  }
  return std::nullopt;
}

std::optional<std::string> report_unknown_key(const MapEntry& entry, const std::string& parent_path,
                                              const std::vector<std::string_view>& known,
                                              Diagnostics& diagnostics) {
  const std::string path = child_path(parent_path, entry.key);
  std::optional<std::string> suggestion = did_you_mean(entry.key, known);
  if (suggestion) {
    diagnostics.add(entry.key_location, path, "unknown key; did you mean " + *suggestion + "?");
  } else {
    diagnostics.add(entry.key_location, path, "unknown key; expected one of " + join_names(known));
  }
  return suggestion;
}

}  // namespace flywheel::loader
