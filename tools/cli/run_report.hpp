// The short summary `flywheel run` prints on stdout: ARR, paying accounts, churn and NRR at
// months 12, 24, 36 and the horizon; target probabilities; where the files went.
#pragma once

#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>

#include <string>
#include <vector>

namespace flywheel::cli {

// Calendar months shown: 12, 24, 36 within the horizon, then the horizon if not among them.
std::vector<int> report_months(int horizon_months);

std::string run_report(const RunResult& run, const RunSummary& summary, const std::string& out_dir);

}  // namespace flywheel::cli
