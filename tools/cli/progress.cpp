#include "progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace flywheel::cli {

namespace {
// Redrawing more often than this only costs terminal bandwidth.
constexpr std::chrono::milliseconds kRedrawInterval{100};
}  // namespace

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

Progress::Progress(bool enabled) : enabled_(enabled), start_(Clock::now()), last_draw_() {}

Progress::~Progress() {
  clear();
}

void Progress::update(int done, int total) {
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  if (done < total && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string eta =
      done > 0 ? format_duration(elapsed * (total - done) / done) : std::string("?");
  const std::string line = fmt::format("replicates {}/{}  elapsed {}  ETA {}", done, total,
                                       format_duration(elapsed), eta);
  // Pad with spaces so a shorter line fully covers the previous one.
  const std::size_t width = std::max(line.size(), drawn_width_);
  fmt::print(stderr, "\r{:<{}}", line, width);
  std::fflush(stderr);
  drawn_width_ = width;
}

void Progress::clear() {
  if (!enabled_ || drawn_width_ == 0) return;
  fmt::print(stderr, "\r{:{}}\r", "", drawn_width_);
  std::fflush(stderr);
  drawn_width_ = 0;
}

}  // namespace flywheel::cli
