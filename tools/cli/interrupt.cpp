#include "interrupt.hpp"

#include <csignal>

#include <signal.h>

namespace flywheel::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_old_int {}, g_old_term {};

extern "C" void on_signal(int signal) {
  g_signal = signal;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the second signal takes the default action (the user insists).
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

int InterruptGuard::signal_received() {
  return g_signal;
}

}  // namespace flywheel::cli
