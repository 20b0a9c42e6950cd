// The scenario-discovery section of a sweep report (discover.json and discover_trajectory.csv
// written by `flywheel discover`): per policy, the peeling trajectory as coverage against
// density with the chosen box marked, and the chosen box's restricted uncertainties as a table.
#pragma once

#include "report_page.hpp"

#include <string>

namespace flywheel::report {

Section discover_section(const std::string& discover_json, const std::string& trajectory_csv,
                         Json& datasets);

}  // namespace flywheel::report
