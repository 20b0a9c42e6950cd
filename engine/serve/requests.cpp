#include "requests.hpp"

#include "settings.hpp"

#include <algorithm>
#include <chrono>
#include <regex>

namespace flywheel::serve {

namespace {

constexpr std::size_t kMaxClients = 1024;  // pages remembered; forgotten all at once beyond
constexpr auto kSlotWait = std::chrono::seconds(30);

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

bool host_allowed(const std::string& host_header, const std::string& bound_host, int port) {
  static const std::regex form(R"(^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:([0-9]{1,5}))?$)");
  std::smatch m;
  if (host_header.size() > 255 || !std::regex_match(host_header, m, form)) return false;
  const int given_port = m[3].matched ? std::stoi(m[3].str()) : 80;
  if (given_port != port) return false;
  const std::string name = lower(m[1].str());
  static const std::regex ipv4(R"(^[0-9]{1,3}(\.[0-9]{1,3}){3}$)");
  if (name == "localhost" || name.front() == '[' || std::regex_match(name, ipv4)) return true;
  return name == lower(bound_host);
}

bool origin_allowed(const std::string& origin, const std::string& bound_host, int port) {
  const std::string scheme = "http://";
  return origin.starts_with(scheme) && host_allowed(origin.substr(scheme.size()), bound_host, port);
}

std::optional<Reply> Requests::ticket(const nlohmann::json& body, Ticket& out) {
  if (!body.is_object() || !body.contains("client")) return std::nullopt;
  static const std::regex id(R"(^[A-Za-z0-9_-]{1,64}$)");
  const nlohmann::json& client = body["client"];
  if (!client.is_string() || !std::regex_match(client.get<std::string>(), id)) {
    return bad_request("client", "expected an id of 1 to 64 letters, digits, '-' or '_'");
  }
  if (!body.contains("seq") || !body["seq"].is_number_integer() ||
      body["seq"].get<std::int64_t>() < 0) {
    return bad_request("seq", "expected a sequence number (an integer >= 0) with \"client\"");
  }
  out.seq = static_cast<std::uint64_t>(body["seq"].get<std::int64_t>());
  std::lock_guard lock(mutex_);
  auto found = clients_.find(client.get<std::string>());
  if (found == clients_.end()) {
    if (clients_.size() >= kMaxClients) clients_.clear();
    found = clients_
                .emplace(client.get<std::string>(),
                         std::make_shared<std::atomic<std::uint64_t>>(out.seq))
                .first;
  }
  const std::shared_ptr<std::atomic<std::uint64_t>>& latest = found->second;
  // The newest sequence wins: a newer request makes every older one stale.
  std::uint64_t seen = latest->load();
  while (seen < out.seq && !latest->compare_exchange_weak(seen, out.seq)) {
  }
  out.latest = latest;
  return std::nullopt;
}

Reply Requests::expect(const Playground& playground, const nlohmann::json& body) {
  Ticket t;
  if (auto error = ticket(body, t)) return *error;
  if (t.stale()) return {409, {{"error", "superseded by a newer request from the same page"}}};
  return playground.expect(body);
}

Reply Requests::run(const Playground& playground, const nlohmann::json& body) {
  Ticket t;
  if (auto error = ticket(body, t)) return *error;
  const Reply superseded{409, {{"error", "superseded by a newer request from the same page"}}};
  {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + kSlotWait;
    while (running_ >= max_runs_) {
      if (t.stale()) return superseded;
      // Woken when a slot frees; also every 50 ms, to notice being superseded while waiting.
      slot_freed_.wait_for(lock, std::chrono::milliseconds(50));
      if (std::chrono::steady_clock::now() > deadline) {
        return {503, {{"error", "busy: too many agent runs at once; try again"}}};
      }
    }
    ++running_;
  }
  Reply reply;
  try {
    reply = t.stale() ? superseded : playground.run(body, [&t] { return t.stale(); });
  } catch (...) {
    std::lock_guard lock(mutex_);
    --running_;
    slot_freed_.notify_one();
    throw;
  }
  std::lock_guard lock(mutex_);
  --running_;
  slot_freed_.notify_one();
  return reply;
}

}  // namespace flywheel::serve
