// Replicate progress on stderr, redrawn in place with \r: done/total, elapsed time, ETA.
// Shown only on a terminal, so logs and pipes never receive control characters.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace flywheel::cli {

bool stderr_is_terminal();

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Called by the engine after each replicate, from any thread but never concurrently.
  void update(int done, int total);
  // Erases the progress line (idempotent).
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  std::size_t drawn_width_ = 0;
};

// "7s", "3m05s", "2h04m".
std::string format_duration(double seconds);

}  // namespace flywheel::cli
