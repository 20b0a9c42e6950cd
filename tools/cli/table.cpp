#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace flywheel::cli {

namespace {

constexpr const char* kMissing = "n/a";

// x >= 0 with three significant digits: 1.23, 12.3, 123.
std::string three_digits(double x) {
  if (x < 9.995) return fmt::format("{:.2f}", x);
  if (x < 99.95) return fmt::format("{:.1f}", x);
  return fmt::format("{:.0f}", x);
}

}  // namespace

std::string format_usd(double usd) {
  if (!std::isfinite(usd)) return kMissing;
  const std::string sign = usd < 0 ? "-" : "";
  const double magnitude = std::abs(usd);
  if (magnitude < 999.5) return fmt::format("{}${:.0f}", sign, magnitude);
  constexpr std::array<std::pair<double, const char*>, 4> scales = {
      {{1e3, "k"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}}};
  for (const auto& [scale, suffix] : scales) {
    const double x = magnitude / scale;
    // 999.6k is printed as $1.00M, never as $1000k.
    if (x < 999.5 || scale == scales.back().first) {
      return fmt::format("{}${}{}", sign, three_digits(x), suffix);
    }
  }
  return kMissing;  // not reached
}

std::string format_percent(double ratio) {
  if (!std::isfinite(ratio)) return kMissing;
  return fmt::format("{:.1f}%", 100.0 * ratio);
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return kMissing;
  if (value == std::trunc(value) && std::abs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

std::string format_in_unit(double value, std::string_view unit) {
  if (unit.starts_with("USD")) return format_usd(value);
  if (unit == "ratio") return format_percent(value);
  return format_number(value);
}

std::string render_table(const std::vector<std::vector<std::string>>& rows,
                         std::string_view align) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      const bool left = c < align.size() && align[c] == 'l';
      line += left ? fmt::format("{:<{}}", row[c], widths[c])
                   : fmt::format("{:>{}}", row[c], widths[c]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace flywheel::cli
