// Reading scenarios: a file and its `extends:` chain are parsed into located trees and merged,
// `--set` overrides are applied to the merged tree, and the parameter schema turns the result
// into a validated Scenario. Every problem is collected and thrown at the end as one InputError.
#include <flywheel/scenario/loader.hpp>
#include <flywheel/scenario/warnings.hpp>

#include "network_rules.hpp"
#include "param_schema.hpp"
#include "scenario_builder.hpp"
#include "scenario_overrides.hpp"
#include "scenario_rules.hpp"
#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"
#include "common/text_file.hpp"

#include <algorithm>
#include <filesystem>

namespace flywheel {

namespace {

namespace fs = std::filesystem;
using namespace loader;

// A chain this long is a mistake even without a cycle.
constexpr std::size_t kMaxExtendsChain = 32;

LocateMark file_locator(const std::string& file) {
  return [file](int line, int column) {
    if (line < 0) return SourceLocation{file, 0, 0};
    return SourceLocation{file, line + 1, column >= 0 ? column + 1 : 0};
  };
}

std::string too_large() {
  return "larger than " + std::to_string(kMaxScenarioBytes) +
         " bytes; expected a scenario file of at most 1 MiB";
}

// Loads one file of a chain and, first, the bases it extends; merges this file over them.
class ChainLoader {
 public:
  explicit ChainLoader(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  // `identity` is the canonical path (empty for text in memory), for cycle detection.
  std::optional<TreeNode> load(const std::string& text, const std::string& shown,
                               const fs::path& folder, const std::string& identity) {
    diagnostics_.note_file(shown);
    if (text.size() > kMaxScenarioBytes) return fail({shown, 0, 0}, "", too_large());
    std::optional<TreeNode> tree = parse_yaml_tree(text, file_locator(shown), diagnostics_);
    if (!tree) return std::nullopt;
    if (tree->kind == TreeNode::Kind::null) {
      return fail({shown, 0, 0}, "", "empty file; expected a scenario map with name and market");
    }
    if (tree->kind != TreeNode::Kind::map) {
      return fail(tree->location, "",
                  describe(*tree) + " is not a map; expected a scenario map with name and market");
    }
    const auto extends = std::find_if(tree->entries.begin(), tree->entries.end(),
                                      [](const MapEntry& e) { return e.key == "extends"; });
    if (extends == tree->entries.end()) return tree;
    const MapEntry link = *extends;
    tree->entries.erase(extends);
    chain_.push_back({identity, shown});
    std::optional<TreeNode> base = load_base(link, folder);
    chain_.pop_back();
    if (!base) return std::nullopt;
    deep_merge(*base, *tree);
    return base;
  }

 private:
  struct Link {
    std::string identity;
    std::string shown;
  };

  std::nullopt_t fail(const SourceLocation& where, std::string path, std::string message) {
    diagnostics_.add(where, std::move(path), std::move(message));
    return std::nullopt;
  }

  std::optional<TreeNode> load_base(const MapEntry& link, const fs::path& folder) {
    const TreeNode& value = link.value;
    if (value.kind != TreeNode::Kind::scalar || value.text.empty()) {
      return fail(value.location, "extends",
                  describe(value) +
                      " is not a path; expected a path to a scenario file, "
                      "relative to this file's folder");
    }
    const fs::path path = folder / value.text;
    const std::string shown = path.lexically_normal().generic_string();
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(path, error);
    const std::string identity = error ? shown : canonical.string();
    const bool cycle = std::any_of(chain_.begin(), chain_.end(),
                                   [&](const Link& l) { return l.identity == identity; });
    if (cycle || chain_.size() >= kMaxExtendsChain) {
      std::string names;
      for (const Link& l : chain_) names += l.shown + " -> ";
      const std::string problem = cycle ? "extends cycle: " : "extends chain too long: ";
      return fail(value.location, "extends",
                  problem + names + shown + "; expected a chain of at most " +
                      std::to_string(kMaxExtendsChain) + " files that never comes back");
    }
    const FileText base = read_text_file(path, kMaxScenarioBytes, FileKind::regular);
    if (!base.error.empty()) {
      return fail(value.location, "extends",
                  "cannot read " + shown + ": " + base.error +
                      "; expected a path to a scenario file, relative to this file's folder");
    }
    return load(base.text, shown, path.parent_path(), identity);
  }

  Diagnostics& diagnostics_;
  std::vector<Link> chain_;
};

// The scenario's warnings, each at the node of its key path (or the closest ancestor written).
std::vector<Diagnostic> located_warnings(const Scenario& scenario, const TreeNode& tree) {
  std::vector<Diagnostic> warnings = scenario_warnings(scenario);
  for (Diagnostic& warning : warnings) {
    const SourceLocation where = locate_path(tree, warning.path);
    warning.file = where.file;
    warning.line = where.line;
    warning.column = where.column;
  }
  return warnings;
}

Scenario resolve(const std::string& text, const std::string& shown, const fs::path& folder,
                 const std::string& identity, const std::vector<Override>& overrides,
                 std::vector<Diagnostic>* warnings) {
  Diagnostics diagnostics;
  std::optional<TreeNode> tree = ChainLoader(diagnostics).load(text, shown, folder, identity);
  if (!tree) {
    diagnostics.throw_if_any();
    throw std::logic_error("scenario loader: a load failed without a diagnostic");
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    apply_override(*tree, overrides[i], static_cast<int>(i) + 1, diagnostics);
  }
  Scenario scenario = build_scenario(*tree, param_schema(), diagnostics);
  check_scenario_rules(scenario, *tree, diagnostics);
  check_network(scenario, *tree, shown, folder, diagnostics);
  diagnostics.throw_if_any();
  scenario.source_file = shown;
  if (warnings != nullptr) *warnings = located_warnings(scenario, *tree);
  return scenario;
}

InputError command_line_error(std::string message) {
  return InputError({Diagnostic{"<command line>", 0, 0, "", std::move(message)}});
}

}  // namespace

Override parse_override(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) {
    throw command_line_error("--set " + quote(text) +
                             " has no '='; expected key.path=value, e.g. simulation.months=48");
  }
  if (equals == 0) {
    throw command_line_error("--set " + quote(text) +
                             " has no key path; expected key.path=value, e.g. "
                             "simulation.months=48");
  }
  return Override{text.substr(0, equals), text.substr(equals + 1)};
}

std::vector<Override> parse_overrides(const std::vector<std::string>& texts) {
  std::vector<Override> overrides;
  std::vector<Diagnostic> problems;
  for (const std::string& text : texts) {
    try {
      overrides.push_back(parse_override(text));
    } catch (const InputError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return overrides;
}

Scenario load_scenario(const std::string& file, const std::vector<Override>& overrides,
                       std::vector<Diagnostic>* warnings) {
  const FileText read = read_text_file(file, kMaxScenarioBytes);
  if (!read.error.empty()) {
    throw InputError({Diagnostic{file, 0, 0, "", "cannot read: " + read.error}});
  }
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(file, error);
  return resolve(read.text, file, fs::path(file).parent_path(), error ? file : canonical.string(),
                 overrides, warnings);
}

Scenario load_scenario_text(const std::string& yaml, const std::string& name,
                            const std::vector<Override>& overrides, const std::string& base_dir,
                            std::vector<Diagnostic>* warnings) {
  return resolve(yaml, name, base_dir, "", overrides, warnings);
}

}  // namespace flywheel
