#include <flywheel/serve/server.hpp>

#include "requests.hpp"

#include <httplib.h>

#include <fmt/format.h>

#include <stdexcept>

namespace flywheel::serve {

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;  // a request's JSON: settings of <= 32 levers

void send_json(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.body.dump(), "application/json");
}

void security_headers(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  // The page's scripts and styles are inline; it fetches only its own API. Vega compiles its
  // expressions with Function, hence 'unsafe-eval'.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
                 "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; "
                 "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
}

}  // namespace

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

struct Server::Impl {
  const Playground& playground;
  ServerOptions options;
  httplib::Server http;
  Requests requests;
  int port = 0;

  Impl(const Playground& p, ServerOptions o)
      : playground(p), options(std::move(o)), requests(options.max_concurrent_runs) {}

  // The request's body as JSON, or a 400 / 415 reply.
  static std::optional<Reply> parse_body(const httplib::Request& req, nlohmann::json& body) {
    const std::string type = req.get_header_value("Content-Type");
    if (!type.starts_with("application/json")) {
      return Reply{415, {{"error", "expected Content-Type: application/json"}}};
    }
    body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
      return Reply{400, {{"error", "the body is not JSON"},
                         {"problems", nlohmann::json::array({{{"path", ""},
                                                               {"message", "not JSON"},
                                                               {"text", "the body is not JSON"}}})}}};
    }
    return std::nullopt;
  }

  void routes() {
    http.set_payload_max_length(kMaxBody);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    http.set_keep_alive_max_count(1000);
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      security_headers(res);
      if (!host_allowed(req.get_header_value("Host"), options.host, port)) {
        send_json(res, {403, {{"error", "Host header does not name this server"}}});
        return httplib::Server::HandlerResponse::Handled;
      }
      const std::string origin = req.get_header_value("Origin");
      if (!origin.empty() && !origin_allowed(origin, options.host, port)) {
        send_json(res, {403, {{"error", "cross-origin requests are refused"}}});
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          send_json(res, {500, {{"error", "internal error"}}});
        });
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) {
        const char* what = res.status == 404 ? "not found" : "refused";
        res.set_content(nlohmann::json({{"error", what}}).dump(), "application/json");
      }
    });
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(page_html(), "text/html; charset=utf-8");
    });
    http.Get("/api/levers", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, {200, playground.levers_json()});
    });
    http.Post("/api/expect", [this](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json body;
      if (auto error = parse_body(req, body)) return send_json(res, *error);
      send_json(res, requests.expect(playground, body));
    });
    http.Post("/api/run", [this](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json body;
      if (auto error = parse_body(req, body)) return send_json(res, *error);
      send_json(res, requests.run(playground, body));
    });
    http.Post("/api/export", [this](const httplib::Request& req, httplib::Response& res) {
      nlohmann::json body;
      if (auto error = parse_body(req, body)) return send_json(res, *error);
      send_json(res, playground.export_settings(body));
    });
  }
};

Server::Server(const Playground& playground, ServerOptions options)
    : impl_(std::make_unique<Impl>(playground, std::move(options))) {
  impl_->routes();
}

Server::~Server() { stop(); }

int Server::bind() {
  if (impl_->options.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(impl_->options.host);
    if (impl_->port <= 0) {
      throw std::runtime_error(fmt::format("cannot bind to {}", impl_->options.host));
    }
  } else {
    if (!impl_->http.bind_to_port(impl_->options.host, impl_->options.port)) {
      throw std::runtime_error(fmt::format("cannot bind to {}:{} (in use, or not an address "
                                           "of this machine)",
                                           impl_->options.host, impl_->options.port));
    }
    impl_->port = impl_->options.port;
  }
  return impl_->port;
}

void Server::listen() { impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_) impl_->http.stop();
}

std::string Server::url() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", host, v6 ? "]" : "", impl_->port);
}

}  // namespace flywheel::serve
