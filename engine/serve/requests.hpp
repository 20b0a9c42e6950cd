// Requests in flight: the newest sequence number of each page (a newer request cancels the
// older ones, between replicates) and the slots of agent runs (a bounded number at once; a
// request waiting for one gives up as soon as it is superseded). And the Host / Origin checks.
#pragma once

#include <flywheel/serve/playground.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace flywheel::serve {

class Requests {
 public:
  explicit Requests(int max_concurrent_runs) : max_runs_(max_concurrent_runs) {}

  Reply expect(const Playground& playground, const nlohmann::json& body);
  Reply run(const Playground& playground, const nlohmann::json& body);

 private:
  struct Ticket {
    std::shared_ptr<std::atomic<std::uint64_t>> latest;  // null: the request named no page
    std::uint64_t seq = 0;
    bool stale() const { return latest && latest->load() != seq; }
  };
  // The request's "client" and "seq", registered; a 400 reply when malformed.
  std::optional<Reply> ticket(const nlohmann::json& body, Ticket& out);

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<std::atomic<std::uint64_t>>> clients_;
  std::condition_variable slot_freed_;
  int running_ = 0;
  int max_runs_;
};

// Host header check: the port must be the bound one and the name an IP literal, "localhost" or
// the --host name, never another domain name (a DNS-rebinding page sends its own).
bool host_allowed(const std::string& host_header, const std::string& bound_host, int port);
// Origin check: "http://" followed by an allowed Host.
bool origin_allowed(const std::string& origin, const std::string& bound_host, int port);

}  // namespace flywheel::serve
