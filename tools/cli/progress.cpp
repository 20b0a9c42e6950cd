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

ProgressMode progress_mode(bool quiet) {
  if (quiet) return ProgressMode::off;
  return stderr_is_terminal() ? ProgressMode::terminal : ProgressMode::log;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

Progress::Progress(bool enabled)
    : Progress(enabled ? ProgressMode::terminal : ProgressMode::off, "replicates") {}

Progress::Progress(ProgressMode mode, std::string what)
    : mode_(mode), what_(std::move(what)), start_(Clock::now()), last_draw_(start_) {
  if (mode_ == ProgressMode::terminal) last_draw_ = Clock::time_point{};
}

Progress::~Progress() {
  clear();
}

std::string Progress::line(int done, int total, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string eta =
      done > 0 ? format_duration(elapsed * (total - done) / done) : std::string("?");
  return fmt::format("{} {}/{}  elapsed {}  ETA {}", what_, done, total, format_duration(elapsed),
                     eta);
}

void Progress::update(int done, int total) {
  if (mode_ == ProgressMode::off) return;
  const Clock::time_point now = Clock::now();
  if (mode_ == ProgressMode::log) {
    const double fraction = total > 0 ? static_cast<double>(done) / total : 1.0;
    const auto since = now - last_draw_;
    const bool due = done >= total || (since >= kLogMinInterval &&
                                       (fraction - logged_fraction_ >= 0.05 ||
                                        since >= kLogMaxInterval));
    if (!due) return;
    last_draw_ = now;
    logged_fraction_ = fraction;
    fmt::print(stderr, "flywheel: {} ({:.0f}%)\n", line(done, total, now), 100 * fraction);
    std::fflush(stderr);
    return;
  }
  if (done < total && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const std::string text = line(done, total, now);
  // Pad with spaces so a shorter line fully covers the previous one.
  const std::size_t width = std::max(text.size(), drawn_width_);
  fmt::print(stderr, "\r{:<{}}", text, width);
  std::fflush(stderr);
  drawn_width_ = width;
}

void Progress::clear() {
  if (mode_ != ProgressMode::terminal || drawn_width_ == 0) return;
  fmt::print(stderr, "\r{:{}}\r", "", drawn_width_);
  std::fflush(stderr);
  drawn_width_ = 0;
}

}  // namespace flywheel::cli
