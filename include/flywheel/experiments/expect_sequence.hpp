// The mean-field twin's outputs as the front ends write them (`flywheel expect`, the
// expected.csv of `run` and `compare`, the Python module): expected.csv and expected.json from
// one meanfield::expect of the scenario, so the command line and Python cannot drift apart.
#pragma once

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/spec/metrics.hpp>
#include <flywheel/spec/scenario.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

// The metrics expected.json and `flywheel expect` show at the milestone months.
inline constexpr std::array<Metric, 8> kExpectHeadline = {
    Metric::arr_usd,         Metric::mrr_usd,    Metric::accounts_paying, Metric::active_users,
    Metric::logo_churn_t12m, Metric::nrr_annual, Metric::cash_usd,        Metric::k_factor};

// Calendar months 12, 24 and 36 within the horizon, then the horizon if not among them.
std::vector<int> milestone_months(int horizon_months);

// expected.json: flywheel version, scenario (name, file), months, the approximations
// (mechanism, note) and the headline metrics at the milestone months ("at_months", keyed by
// month; null where undefined). Byte-identical for the same scenario.
std::string expected_json_text(const Scenario& scenario, const meanfield::ExpectedRun& run);

struct ExpectTexts {
  std::string expected_csv, expected_json;
};
ExpectTexts expect_texts(const Scenario& scenario, const meanfield::ExpectedRun& run);

// meanfield::expect for the commands whose main job is elsewhere (run, compare): nullopt, with
// the twin's message in `why`, when the twin cannot express the scenario (InputError), so that
// a run never fails for its twin's sake. Any other failure is an internal error and is thrown.
std::optional<meanfield::ExpectedRun> try_expect(const Scenario& scenario, std::string& why);

}  // namespace flywheel
