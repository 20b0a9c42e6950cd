// The playground of `flywheel serve`: one scenario whose levers (sliders and switches) a page
// moves. Everything the page asks goes through here: the settings it sends are key-path
// overrides, checked by the same loader and schema as `--set`, and only on the levers chosen at
// start, so the page can neither name a file nor reach any other key. No HTTP in this class
// (server.hpp serves it), so its answers are testable directly. docs/serve.md has the API.
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flywheel::serve {

// One slider (number, integer) or switch (boolean): a key path as `--set` takes it.
struct Lever {
  std::string path;   // "funnel.activation_per_month", "market.segments[0].share"
  std::string label;  // "funnel: activation per month"
  std::string unit;   // the schema's unit
  std::string kind;   // "number", "integer" or "boolean"
  double min = 0, max = 1, step = 0.01;
  double value = 0;  // in the scenario as loaded
};

struct PlaygroundOptions {
  std::string scenario_file;
  std::vector<std::string> params;  // --param PATH: these levers instead of the default choice
  // Cap of one agent run: simulated people x replicates x months (413 above it).
  double max_person_months = 1.5e8;
  int max_replicates = 64;
};

// An answer: an HTTP status and its JSON body.
struct Reply {
  int status = 200;
  nlohmann::json body;
};

// Returns true when the request that asked has been superseded (checked between replicates).
using Cancelled = std::function<bool()>;

class Playground {
 public:
  // Loads the scenario and chooses the levers; throws InputError (bad file, bad --param).
  explicit Playground(PlaygroundOptions options);

  const std::vector<Lever>& levers() const { return levers_; }
  const Scenario& scenario() const { return base_; }
  const PlaygroundOptions& options() const { return options_; }

  // GET /api/levers: the scenario's name, months, levers, metrics of the views and caps.
  nlohmann::json levers_json() const;
  // POST /api/expect {"settings": {...}}: the mean-field twin's trajectory.
  Reply expect(const nlohmann::json& request) const;
  // POST /api/run {"settings": {...}, "replicates": N}: p5/p50/p95 bands per month of an agent
  // run (the scenario's seed: common random numbers across settings). 409 when cancelled.
  Reply run(const nlohmann::json& request, const Cancelled& cancelled) const;
  // POST /api/export {"settings": {...}}: the scenario YAML and the `flywheel run` command.
  Reply export_settings(const nlohmann::json& request) const;

 private:
  PlaygroundOptions options_;
  std::string text_;  // the scenario file as read
  std::string base_dir_;
  Scenario base_;
  std::vector<Lever> levers_;
};

// The metrics the page draws (its views); every one is in metric_list.inc.
const std::vector<Metric>& playground_metrics();

}  // namespace flywheel::serve
