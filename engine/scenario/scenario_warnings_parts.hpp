// The checks behind scenario_warnings (include/flywheel/scenario/warnings.hpp), one file per
// kind: revenue paths, levers, targets and schedules. Each appends to one list in a fixed order.
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/spec/scenario.hpp>

#include <string>
#include <vector>

namespace flywheel::warnings {

class Warnings {
 public:
  explicit Warnings(const Scenario& scenario) : file_(scenario.source_file) {}
  // `message`: what cannot happen and why; `fix`: what to change.
  void add(std::string path, const std::string& message, const std::string& fix) {
    items_.push_back(Diagnostic{file_, 0, 0, std::move(path), message + "; fix: " + fix});
  }
  std::vector<Diagnostic> take() { return std::move(items_); }

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
};

// The largest value a schedule takes in months 0 .. months - 1 (pieces from later never act).
double max_in_horizon(const Schedule& schedule, int months);
bool ever_positive(const Schedule& schedule, int months);
// The most people an account of the scenario can have (a fixed size, else max_people).
int largest_account(const Scenario& scenario);
// True when some account can reach the PQL rule (pql_min_active_users people).
bool pql_reachable(const Scenario& scenario);

// Paths to money: self-serve conversion, trial conversion, sales wins.
bool self_serve_converts(const Scenario& scenario);
bool trial_converts(const Scenario& scenario);
bool sales_wins(const Scenario& scenario);

void check_revenue(const Scenario& scenario, Warnings& out);
void check_levers(const Scenario& scenario, Warnings& out);
void check_community(const Scenario& scenario, Warnings& out);
void check_targets(const Scenario& scenario, Warnings& out);
void check_schedules(const Scenario& scenario, Warnings& out);

}  // namespace flywheel::warnings
