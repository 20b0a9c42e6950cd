// SIGINT and SIGTERM during a sweep: the first one only raises a flag, so the unit in flight
// finishes and is published (the folder stays resumable: a unit file is whole or absent) and no
// further unit starts; a second one of either kills the process at once (default action).
#pragma once

namespace flywheel::cli {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The signal received (SIGINT or SIGTERM), or 0.
  static int signal_received();
};

}  // namespace flywheel::cli
