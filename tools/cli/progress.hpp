// Progress on stderr: done/total, elapsed time, ETA. On a terminal the line is redrawn in place
// with \r; in log mode (stderr is a file or a pipe, e.g. a Slurm log) plain lines are printed
// at a modest rate, so logs show progress without control characters or a flood of lines.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace flywheel::cli {

bool stderr_is_terminal();

enum class ProgressMode { off, terminal, log };

// terminal when stderr is one, else log; off when quiet.
ProgressMode progress_mode(bool quiet);

class Progress {
 public:
  // enabled: terminal mode (for run and compare, whose progress stays terminal-only).
  explicit Progress(bool enabled);
  // `what` names the counted things ("replicates", "units").
  Progress(ProgressMode mode, std::string what);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Called by the engine after each replicate, from any thread but never concurrently.
  void update(int done, int total);
  // Erases the progress line (idempotent; nothing to erase in log mode).
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  std::string line(int done, int total, Clock::time_point now) const;
  ProgressMode mode_;
  std::string what_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  std::size_t drawn_width_ = 0;
  double logged_fraction_ = 0;  // log mode: the fraction done at the last line
};

// In log mode a line is printed when at least kLogMinInterval has passed since the last one and
// either 5% more is done or kLogMaxInterval has passed, and always when the count completes.
inline constexpr std::chrono::seconds kLogMinInterval{10};
inline constexpr std::chrono::seconds kLogMaxInterval{60};

// "7s", "3m05s", "2h04m".
std::string format_duration(double seconds);

}  // namespace flywheel::cli
