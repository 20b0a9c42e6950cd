#include <flywheel/errors.hpp>

namespace flywheel {

namespace {

std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.to_string();
  }
  return text;
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string text = file;
  // A position is only meaningful with its line; a column without a line would mislead.
  if (line > 0) {
    text += ":";
    text += std::to_string(line);
    if (column > 0) {
      text += ":";
      text += std::to_string(column);
    }
  }
  text += ": ";
  if (!path.empty()) text += path + ": ";
  return text + message;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace flywheel
