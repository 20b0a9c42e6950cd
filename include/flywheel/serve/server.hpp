// The HTTP server of `flywheel serve`: one page with its assets compiled in and the playground's
// JSON API (docs/serve.md). Loopback by default; every request's Host (and Origin, when sent)
// must name the bound address, so a DNS-rebinding page cannot reach it; no CORS headers; no
// files are read for a request; a newer request of the same page cancels its older ones.
#pragma once

#include <flywheel/serve/playground.hpp>

#include <memory>
#include <string>

namespace flywheel::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8765;  // 0: any free port
  int max_concurrent_runs = 2;  // agent runs at once; more wait (cancellable) or get 503
};

class Server {
 public:
  Server(const Playground& playground, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket; returns the port. Throws std::runtime_error when it cannot.
  int bind();
  // Serves until stop() (from another thread or a signal handler's thread).
  void listen();
  void stop();
  std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether an address is a loopback one (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

// The page: playground.html with its style, script and the charting libraries inlined.
const std::string& page_html();

}  // namespace flywheel::serve
