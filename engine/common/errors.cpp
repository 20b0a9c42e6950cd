#include <flywheel/common/errors.hpp>

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

// Control characters from the input (a key, a file name, yaml-cpp's message quoting a NUL) are
// shown as \xHH: a diagnostic is one printable line, and a terminal is not sent escape codes.
std::string printable(std::string text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
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
  return printable(text + message);
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace flywheel
