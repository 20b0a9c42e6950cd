#include "number_syntax.hpp"

#include <charconv>
#include <cstdint>

namespace flywheel::loader {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Advances past a run of digits; returns how many there were.
std::size_t skip_digits(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return pos - start;
}

bool is_exponent(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || (text[pos] != 'e' && text[pos] != 'E')) return false;
  ++pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  return skip_digits(text, pos) > 0 && pos == text.size();
}

}  // namespace

NumberSyntax classify_number(std::string_view text) {
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return NumberSyntax::nan;
  std::size_t pos = 0;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) ++pos;
  const std::string_view unsigned_part = text.substr(pos);
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF") {
    return NumberSyntax::infinity;
  }
  const std::size_t integer_digits = skip_digits(text, pos);
  if (integer_digits > 0 && pos == text.size()) return NumberSyntax::integer;
  std::size_t fraction_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    fraction_digits = skip_digits(text, pos);
  }
  if (integer_digits == 0 && fraction_digits == 0) return NumberSyntax::none;
  if (pos == text.size() || is_exponent(text, pos)) return NumberSyntax::decimal;
  return NumberSyntax::none;
}

bool parse_number_text(std::string_view text, NumberSyntax syntax, double& out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);  // from_chars refuses '+'
  const char* end = text.data() + text.size();
  if (syntax == NumberSyntax::integer) {
    std::int64_t integer = 0;
    const auto result = std::from_chars(text.data(), end, integer);
    if (result.ec == std::errc{} && result.ptr == end) {
      out = static_cast<double>(integer);
      return true;
    }
  }
  const auto result = std::from_chars(text.data(), end, out);
  return result.ec == std::errc{} && result.ptr == end;
}

}  // namespace flywheel::loader
