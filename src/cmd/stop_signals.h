#pragma once
// The long-running commands (server, scheduler, sim) stop on SIGTERM or SIGINT: the signals
// are blocked in every thread and one thread waits for them; SIGPIPE is ignored so a peer
// that goes away is an I/O error, not a kill.

#include <csignal>

namespace haru::cmd {

// Call first, before any thread starts (threads inherit the mask). Returns the stop signals
// for sigwait/sigtimedwait.
inline sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

}  // namespace haru::cmd
