// `flywheel serve`: the playground's answers (levers, settings through the schema, mean-field
// series, agent-run bands, caps, cancellation, export) and its HTTP server's guards (Host and
// Origin checks, no CORS, only the page and the API, body size), in process on port 0; the
// command line's bad input; and a bounded load test ([heavy]). The page in a real browser is
// tests/browser/serve/ (ctest label browser); docs/serve.md describes the API.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/serve/playground.hpp>
#include <flywheel/serve/server.hpp>

#include "serve/export.hpp"
#include "serve/requests.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

using flywheel::test::contains;
using nlohmann::json;
namespace serve = flywheel::serve;

namespace {

const std::string kScenario = std::string(FLYWHEEL_SOURCE_DIR) + "/tests/data/serve-playground.yaml";

const serve::Playground& playground() {
  static const serve::Playground p({kScenario, {}, 1.5e8, 64});
  return p;
}

const serve::Lever* lever(const serve::Playground& p, const std::string& path) {
  for (const serve::Lever& l : p.levers()) {
    if (l.path == path) return &l;
  }
  return nullptr;
}

// A server on a free loopback port, listening on its own thread while the object lives.
struct Running {
  serve::Server server;
  int port;
  std::thread thread;
  explicit Running(const serve::Playground& p, int max_runs = 2)
      : server(p, {"127.0.0.1", 0, max_runs}), port(server.bind()),
        thread([this] { server.listen(); }) {}
  ~Running() {
    server.stop();
    thread.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
};

long rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

TEST_CASE("serve: default levers are the scenario's numbers with the schema's ranges and units") {
  const serve::Lever* activation = lever(playground(), "funnel.activation_per_month");
  REQUIRE(activation != nullptr);
  CHECK(activation->kind == "number");
  CHECK(activation->min == 0);
  CHECK(activation->max == 1);  // 4 x 0.35 capped by the schema's range [0, 1]
  CHECK(activation->value == Approx(0.35));
  CHECK(activation->unit.size() > 0);
  const serve::Lever* pql = lever(playground(), "strategy.plg.pql_min_active_users");
  REQUIRE(pql != nullptr);
  CHECK(pql->kind == "integer");
  CHECK(pql->step == 1);
  CHECK(lever(playground(), "market.segments[0].cancel_per_month") != nullptr);
  // the run's own settings and the shares (which must move together) are not levers
  CHECK(lever(playground(), "market.segments[0].share") == nullptr);
  CHECK(lever(playground(), "simulation.seed") == nullptr);
  CHECK(lever(playground(), "simulation.replicates") == nullptr);
  const json levers = playground().levers_json();
  CHECK(levers["scenario"] == "serve-playground");
  CHECK(levers["months"] == 24);
  CHECK(levers["levers"].size() == playground().levers().size());
}

TEST_CASE("serve: --param chooses the levers, and a bad one is bad input") {
  const serve::Playground p({kScenario, {"funnel.signup_per_month", "strategy.plg.free_tier"},
                             1e8, 8});
  REQUIRE(p.levers().size() == 2);
  CHECK(p.levers()[1].kind == "boolean");
  CHECK_THROWS_AS(serve::Playground({kScenario, {"funnel.no_such_key"}, 1e8, 8}),
                  flywheel::InputError);
  CHECK_THROWS_AS(serve::Playground({kScenario, {"name"}, 1e8, 8}), flywheel::InputError);
}

TEST_CASE("serve: settings go through the schema; a bad value is 400 with its path and range") {
  const serve::Reply bad =
      playground().expect({{"settings", {{"funnel.activation_per_month", 1.5}}}});
  REQUIRE(bad.status == 400);
  const json& problem = bad.body["problems"][0];
  CHECK(problem["path"] == "funnel.activation_per_month");
  CHECK(contains(problem["message"].get<std::string>(), "[0, 1]"));
  const serve::Reply fraction =
      playground().expect({{"settings", {{"strategy.plg.pql_min_active_users", 2.5}}}});
  CHECK(fraction.status == 400);
  // no key but the levers, never a file path
  const serve::Reply unknown = playground().expect({{"settings", {{"extends", "/etc/passwd"}}}});
  CHECK(unknown.status == 400);
  CHECK(unknown.body["problems"][0]["path"] == "extends");
  CHECK(playground().expect({{"settings", {{"funnel.activation_per_month", "0.3"}}}}).status ==
        400);
  CHECK(playground().expect(json::array()).status == 400);
}

TEST_CASE("serve: the mean-field series move with a lever") {
  const serve::Reply base = playground().expect(json::object());
  REQUIRE(base.status == 200);
  const json& users = base.body["series"]["active_users"];
  REQUIRE(users.size() == 24);
  const serve::Reply better =
      playground().expect({{"settings", {{"funnel.activation_per_month", 0.6}}}});
  REQUIRE(better.status == 200);
  CHECK(better.body["series"]["active_users"][23].get<double>() > users[23].get<double>());
}

TEST_CASE("serve: agent-run bands, the cap on work and cancellation") {
  const serve::Reply run = playground().run({{"replicates", 3}}, {});
  REQUIRE(run.status == 200);
  const json& band = run.body["bands"]["active_users"];
  REQUIRE(band["p50"].size() == 24);
  CHECK(band["p5"][23].get<double>() <= band["p50"][23].get<double>());
  CHECK(band["p50"][23].get<double>() <= band["p95"][23].get<double>());
  // common random numbers: the same settings give the same bands
  CHECK(playground().run({{"replicates", 3}}, {}).body == run.body);
  // 10,000 simulated people x 24 months x 64 replicates = 15.4M person-months > a 1M cap
  const serve::Playground capped({kScenario, {}, 1e6, 64});
  const serve::Reply big = capped.run({{"replicates", 64}}, {});
  CHECK(big.status == 413);
  CHECK(contains(big.body["error"].get<std::string>(), "1000000"));
  CHECK(playground().run({{"replicates", 0}}, {}).status == 400);
  CHECK(playground().run({{"replicates", 65}}, {}).status == 400);
  CHECK(playground().run({{"replicates", 2}}, [] { return true; }).status == 409);
}

TEST_CASE("serve: a newer request of the same page makes the older one stale") {
  serve::Requests requests(1);
  CHECK(requests.expect(playground(), {{"client", "page-1"}, {"seq", 5}}).status == 200);
  CHECK(requests.expect(playground(), {{"client", "page-1"}, {"seq", 4}}).status == 409);
  CHECK(requests.run(playground(), {{"client", "page-1"}, {"seq", 3}, {"replicates", 1}})
            .status == 409);
  CHECK(requests.expect(playground(), {{"client", "page-2"}, {"seq", 1}}).status == 200);
  CHECK(requests.expect(playground(), {{"client", "bad id!"}, {"seq", 1}}).status == 400);
  CHECK(requests.expect(playground(), {{"client", "page-3"}}).status == 400);
  // A run in flight abandons its work when the page sends a newer request.
  std::atomic<int> status{0};
  std::thread slow([&] {
    status = requests.run(playground(), {{"client", "drag"}, {"seq", 1}, {"replicates", 64}})
                 .status;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(requests.expect(playground(), {{"client", "drag"}, {"seq", 2}}).status == 200);
  slow.join();
  CHECK(status == 409);
}

TEST_CASE("serve: Host and Origin checks") {
  CHECK(serve::host_allowed("127.0.0.1:8765", "127.0.0.1", 8765));
  CHECK(serve::host_allowed("localhost:8765", "127.0.0.1", 8765));
  CHECK(serve::host_allowed("[::1]:8765", "127.0.0.1", 8765));
  CHECK_FALSE(serve::host_allowed("127.0.0.1:8766", "127.0.0.1", 8765));
  CHECK_FALSE(serve::host_allowed("evil.example:8765", "127.0.0.1", 8765));
  CHECK_FALSE(serve::host_allowed("", "127.0.0.1", 8765));
  CHECK(serve::host_allowed("box.lan:9000", "box.lan", 9000));
  CHECK(serve::origin_allowed("http://127.0.0.1:8765", "127.0.0.1", 8765));
  CHECK_FALSE(serve::origin_allowed("http://evil.example", "127.0.0.1", 8765));
  CHECK_FALSE(serve::origin_allowed("null", "127.0.0.1", 8765));
}

TEST_CASE("serve: export gives YAML that loads back and the equivalent command") {
  const serve::Reply out = playground().export_settings(
      {{"settings",
        {{"funnel.activation_per_month", 0.5}, {"market.segments[0].cancel_per_month", 0.03}}}});
  REQUIRE(out.status == 200);
  const std::string yaml = out.body["yaml"];
  const flywheel::Scenario back = flywheel::load_scenario_text(yaml, "export.yaml");
  CHECK(back.name == "serve-playground");
  CHECK(out.body["command"].get<std::string>().starts_with("flywheel run "));
  CHECK(contains(out.body["command"], "--set funnel.activation_per_month=0.5"));
  // brackets are quoted: a shell would expand them as a pattern
  CHECK(contains(out.body["command"], "--set 'market.segments[0].cancel_per_month=0.03'"));
  CHECK(back.market.segments[0].cancel_per_month == Approx(0.03));
  CHECK(serve::shell_quote("a b'c") == "'a b'\\''c'");
}

TEST_CASE("serve: HTTP server: the page, the API and nothing else") {
  const Running running(playground());
  httplib::Client c = running.client();
  const auto page = c.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "vegaEmbed"));
  CHECK(page->get_header_value("Access-Control-Allow-Origin").empty());
  CHECK(!page->get_header_value("Content-Security-Policy").empty());
  const auto levers = c.Get("/api/levers");
  REQUIRE(levers);
  CHECK(levers->status == 200);
  CHECK(json::parse(levers->body)["levers"].size() > 5);
  for (const char* path : {"/index.html", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                           "/api/../../CMakeLists.txt", "/tests/data/serve-playground.yaml",
                           "/api/nothing"}) {
    const auto r = c.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(!contains(r->body, "root:"));
  }
  const auto expect = c.Post("/api/expect", R"({"settings":{}})", "application/json");
  REQUIRE(expect);
  CHECK(expect->status == 200);
  const auto bad = c.Post("/api/expect", R"({"settings":{"funnel.activation_per_month":7}})",
                          "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "funnel.activation_per_month"));
  const auto text = c.Post("/api/expect", "{}", "text/plain");
  REQUIRE(text);
  CHECK(text->status == 415);
  const auto garbage = c.Post("/api/run", "{not json", "application/json");
  REQUIRE(garbage);
  CHECK(garbage->status == 400);
  const auto huge = c.Post("/api/run", std::string(200 * 1024, ' '), "application/json");
  REQUIRE(huge);
  CHECK(huge->status == 413);
}

TEST_CASE("serve: HTTP server: DNS rebinding and cross-origin requests are refused") {
  const Running running(playground());
  httplib::Client c = running.client();
  const auto rebound = c.Get("/api/levers", {{"Host", "evil.example:" + std::to_string(running.port)}});
  REQUIRE(rebound);
  CHECK(rebound->status == 403);
  const auto wrong_port = c.Get("/", {{"Host", "127.0.0.1:1"}});
  REQUIRE(wrong_port);
  CHECK(wrong_port->status == 403);
  const auto cross = c.Post("/api/expect", {{"Origin", "http://evil.example"}}, "{}",
                            "application/json");
  REQUIRE(cross);
  CHECK(cross->status == 403);
  CHECK(cross->get_header_value("Access-Control-Allow-Origin").empty());
  const auto same = c.Post("/api/expect",
                           {{"Origin", "http://127.0.0.1:" + std::to_string(running.port)}}, "{}",
                           "application/json");
  REQUIRE(same);
  CHECK(same->status == 200);
  const auto preflight = c.Options("/api/expect");
  REQUIRE(preflight);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin").empty());
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods").empty());
}

TEST_CASE("serve: command line: bad input exits 2 with the location") {
  const flywheel::test::TempDir dir("serve-cli");
  const auto missing = flywheel::test::run_cli_in(dir.path(), "serve no-such.yaml --port 0");
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "no-such.yaml"));
  const auto param = flywheel::test::run_cli_in(
      dir.path(), "serve '" + kScenario + "' --port 0 --param funnel.nope");
  CHECK(param.code == 2);
  CHECK(contains(param.err, "funnel.nope"));
  const auto port = flywheel::test::run_cli_in(dir.path(), "serve '" + kScenario + "' --port 70000");
  CHECK(port.code == 2);
  {
    std::ofstream bad(dir.path() / "bad.yaml");
    bad << "name: bad\nsimulation: {months: 3}\nmarket:\n  people: -5\n";
  }
  const auto scenario = flywheel::test::run_cli_in(dir.path(), "serve bad.yaml --port 0");
  CHECK(scenario.code == 2);
  CHECK(contains(scenario.err, "bad.yaml:4:11: market.people:"));
}

TEST_CASE("serve: load: 200 requests from 8 clients, only the intended statuses, memory flat",
          "[heavy]") {
  const Running running(playground());
  const auto batch = [&](int per_client, std::atomic<int>& unexpected) {
    std::vector<std::thread> clients;
    for (int k = 0; k < 8; ++k) {
      clients.emplace_back([&, k] {
        httplib::Client c = running.client();
        for (int i = 0; i < per_client; ++i) {
          const std::string id = "load-" + std::to_string(k);
          const httplib::Result r = [&]() {
            switch (i % 5) {
              case 0:
                return c.Get("/api/levers");
              case 1:
                return c.Post(
                    "/api/expect",
                    json({{"client", id}, {"seq", i},
                          {"settings", {{"funnel.activation_per_month", 0.1 + 0.01 * i}}}})
                        .dump(),
                    "application/json");
              case 2:
                return c.Post("/api/run",
                              json({{"client", id}, {"seq", i}, {"replicates", 2}}).dump(),
                              "application/json");
              case 3:
                return c.Post(
                    "/api/expect",
                    json({{"settings", {{"funnel.activation_per_month", -1}}}}).dump(),
                    "application/json");
              default:
                return c.Get("/../secret");
            }
          }();
          const int s = r ? r->status : -1;
          if (s != 200 && s != 400 && s != 404 && s != 409 && s != 503) ++unexpected;
        }
      });
    }
    for (std::thread& t : clients) t.join();
  };
  std::atomic<int> unexpected{0};
  batch(5, unexpected);  // warm up: allocator pools, thread pools, the page's caches
  const long before = rss_kb();
  batch(25, unexpected);  // 8 x 25 = 200 requests
  const long after = rss_kb();
  CHECK(unexpected == 0);
  INFO("RSS before " << before << " kB, after " << after << " kB");
  CHECK(after - before < 64 * 1024);
}
