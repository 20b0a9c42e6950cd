// Every shipped scenario against the public range of its kind of company
// (docs/validation/public-ranges.yaml), read with the library code of `flywheel ranges` and
// docs/validation.md: one section per scenario and row, so an output out of its range without a
// written reason fails by name. The ranges and their sources are the file's; this test only
// holds the scenarios to them.
#include "fixtures.hpp"

#include <flywheel/experiments/validation.hpp>
#include <flywheel/report/validation_markdown.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace flywheel;

namespace {

constexpr const char* kRangesFile = "docs/validation/public-ranges.yaml";
constexpr const char* kReplicates = "40";  // as docs/validation.md (tools/update-validation.sh)

// Run once per process: Catch2 re-enters the test case for every section.
const std::vector<ScenarioValidation>& shipped_results() {
  static const std::vector<ScenarioValidation> results = [] {
    const PublicRanges ranges = load_public_ranges(test::source_path(kRangesFile));
    const std::vector<ValidationItem> items = validation_items(ranges, {}, "");
    return run_validation(items, {{"simulation.replicates", kReplicates}}, RunOptions{});
  }();
  return results;
}

}  // namespace

TEST_CASE("validation: every shipped scenario's headline outputs are in their public range",
          "[stylized][validation]") {
  for (const ScenarioValidation& v : shipped_results()) {
    for (const RowResult& r : v.rows) {
      DYNAMIC_SECTION(v.name << ": " << r.row.label) {
        INFO(v.file << " as " << v.kind << ": " << metric_name(r.row.metric) << ", "
                    << validation_reading(r));
        INFO("median " << format_validation_value(r.value.p50, r.row.format) << " (p5 "
                       << format_validation_value(r.value.p5, r.row.format) << ", p95 "
                       << format_validation_value(r.value.p95, r.row.format) << ", n " << r.value.n
                       << "); range " << format_validation_range(r.row));
        INFO("status " << validation_status_text(r));
        CHECK(std::string(to_string(r.status)) != "OUT");
      }
    }
  }
}

TEST_CASE("validation: the ranges file lists every shipped scenario, with every headline row",
          "[validation]") {
  const PublicRanges ranges = load_public_ranges(test::source_path(kRangesFile));
  std::set<std::string> listed;
  for (const KindAssignment& a : ranges.scenarios)
    listed.insert(std::filesystem::path(a.file).filename().string());
  // scenarios/*.yaml: the shipped scenarios (docking cases, hypotheses and sweeps live below).
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("scenarios"))) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    CHECK(listed.contains(entry.path().filename().string()));
  }
  const std::vector<std::string> headline = {
      "free_to_paid", "trial_conversion", "nrr_annual", "grr_annual",  "logo_churn",
      "cac_payback",  "ltv_to_cac",       "win_rate",   "sales_cycle", "arr_growth"};
  for (const CompanyKind& kind : ranges.kinds) {
    for (const std::string& id : headline) {
      INFO(kind.id << " row " << id);
      CHECK(std::any_of(kind.rows.begin(), kind.rows.end(),
                        [&](const RangeRow& r) { return r.id == id; }));
    }
    for (const RangeRow& row : kind.rows) {
      INFO(kind.id << " row " << row.id);
      CHECK((!row.sources.empty() || row.assumption));
      CHECK(!row.basis.empty());
    }
  }
}
