// `flywheel serve SCENARIO`: the live playground (include/flywheel/serve/, docs/serve.md): a
// local web page with the scenario's levers as sliders, the mean-field line at once and agent-run
// bands after it. Prints the URL on stdout and serves until interrupted (Ctrl-C).
#include "commands.hpp"

#include <flywheel/model/engine.hpp>
#include <flywheel/serve/server.hpp>

#include <fmt/format.h>

#include <csignal>
#include <iostream>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

extern char** environ;

namespace flywheel::cli {

namespace {

void open_browser(const std::string& url) {
  pid_t pid = 0;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
    fmt::print(stderr, "flywheel: --open: xdg-open not found; open {} in a browser\n", url);
  }
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeArgs& args) {
  CLI::App* command = app.add_subcommand(
      "serve",
      "A live playground in the browser: the scenario's levers as sliders, the mean-field "
      "line at once and the bands of a small agent run after it, teaching views, pinned "
      "variants and export to YAML (docs/serve.md). Serves on 127.0.0.1 until Ctrl-C");
  command->add_option("SCENARIO", args.scenario_file, "Scenario file (YAML)")->required();
  command->add_option("--port", args.port, "TCP port; 0 picks a free one (the URL is printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_option("--host", args.host,
                      "Address to listen on; other than loopback only when asked (a warning "
                      "says the playground is then reachable from the network)")
      ->capture_default_str();
  command->add_flag("--open", args.open, "Open the page in the default browser (xdg-open)");
  command
      ->add_option("--param", args.params,
                   "A lever to show, as a key path of --set (repeatable; replaces the default "
                   "choice of the numbers and switches written in the scenario)")
      ->type_name("KEY.PATH")
      ->allow_extra_args(false);
  command
      ->add_option("--max-person-months", args.max_person_months,
                   "Cap of one agent run: simulated people x replicates x months (HTTP 413 "
                   "above)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--threads", args.threads, "Worker threads of the agent runs (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  return command;
}

int serve_command(const ServeArgs& args) {
  serve::PlaygroundOptions options;
  options.scenario_file = args.scenario_file;
  options.params = args.params;
  options.max_person_months = args.max_person_months;
  const serve::Playground playground(options);  // throws InputError: exit 2
  if (!serve::is_loopback(args.host)) {
    fmt::print(stderr,
               "flywheel: warning: serving on {}: anyone who can reach this address can use the "
               "playground (it has no login); use the default 127.0.0.1 unless that is meant\n",
               args.host);
  }
  // SIGINT and SIGTERM go to one thread that stops the server; blocked before any thread starts
  // so that every thread inherits the mask.
  // A shell starting the program in the background sets SIGINT to ignored, and an ignored
  // signal never reaches sigwait: both are put back to their default first.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const ThreadLimit limit(args.threads);
  serve::Server server(playground, {args.host, args.port, 2});
  try {
    server.bind();
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return 2;
  }
  fmt::print(stderr, "flywheel: playground of {} ({} levers); Ctrl-C stops it\n",
             playground.scenario().name, playground.levers().size());
  std::cout << server.url() << std::endl;
  if (args.open) open_browser(server.url());
  std::thread stopper([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
  });
  server.listen();
  // Stopped by a signal: the stopper has returned. Otherwise wake it to let it end.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace flywheel::cli
