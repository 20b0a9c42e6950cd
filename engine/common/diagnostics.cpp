#include "diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace flywheel::loader {

void Diagnostics::note_file(const std::string& file) {
  if (std::find(files_.begin(), files_.end(), file) == files_.end()) files_.push_back(file);
}

void Diagnostics::add(const SourceLocation& where, std::string path, std::string message) {
  if (items_.size() >= kMaxReportedProblems) {
    ++not_kept_;  // nothing after this is shown, so what it would skip does not matter either
    return;
  }
  paths_.insert(path);
  items_.push_back(
      Diagnostic{where.file, where.line, where.column, std::move(path), std::move(message)});
}

bool Diagnostics::any_at_or_under(std::string_view path) const {
  if (paths_.contains(path)) return true;
  // Paths under `path` go on with '.' or '['; in sorted order they follow that prefix.
  for (const char next : {'.', '['}) {
    const std::string prefix = std::string(path) + next;
    const auto it = paths_.lower_bound(prefix);
    if (it != paths_.end() && it->starts_with(prefix)) return true;
  }
  return false;
}

void Diagnostics::throw_if_any() const {
  if (items_.empty()) return;
  const auto rank = [this](const std::string& file) {
    if (file == kOverrideFile) return files_.size() + 1;
    const auto it = std::find(files_.begin(), files_.end(), file);
    return static_cast<std::size_t>(it - files_.begin());  // unnoted files just before --set
  };
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(rank(a.file), a.line, a.column) < std::tuple(rank(b.file), b.line, b.column);
  });
  if (not_kept_ > 0) {
    sorted.push_back({files_.empty() ? std::string() : files_.front(), 0, 0, "",
                      "and " + std::to_string(not_kept_) + " more problems; expected at most " +
                          std::to_string(kMaxReportedProblems) +
                          " at a time: fix those above and check again"});
  }
  throw InputError(std::move(sorted));
}

}  // namespace flywheel::loader
