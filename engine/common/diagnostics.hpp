// Collecting input problems: where each one is, and the order they are reported in.
// The loader reports every problem at once, so nothing throws early (docs/design.md#errors).
#pragma once

#include <flywheel/common/errors.hpp>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::loader {

// File name of command-line overrides in diagnostics; its "line" is the override's ordinal.
inline constexpr std::string_view kOverrideFile = "--set";

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
};

// Problems kept for the report; beyond, they are only counted. An alias-expanded list repeats
// one mistake thousands of times (fuzz_sweep_spec found a 5 KB spec giving 19,216 lines), and
// nobody reads past the first screenfuls: the rest are announced in one closing line.
inline constexpr std::size_t kMaxReportedProblems = 1000;

class Diagnostics {
 public:
  // Files are reported in the order they are first noted; "--set" always comes last.
  void note_file(const std::string& file);
  void add(const SourceLocation& where, std::string path, std::string message);

  bool empty() const { return items_.empty(); }
  // True when a problem was reported at `path` or below it (used to skip derived checks).
  bool any_at_or_under(std::string_view path) const;
  // Sorted by file, line, column; throws InputError when there is anything to report.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<std::string> files_;
  // The key paths of items_, sorted: any_at_or_under is asked once per list item by the rules,
  // and a scan of every problem each time made a list of 45,000 bad segments take seconds.
  std::set<std::string, std::less<>> paths_;
  std::size_t not_kept_ = 0;  // problems past kMaxReportedProblems
};

}  // namespace flywheel::loader
