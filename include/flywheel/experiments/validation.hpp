// Validation against public benchmarks (docs/validation.md): each shipped scenario's headline
// outputs next to the public range for its kind of company, with the range's source. The ranges
// are data (docs/validation/public-ranges.yaml, read by load_public_ranges); this layer runs the
// scenarios, reads each row the way the file says and decides its status. The Markdown is
// written by the report layer (include/flywheel/report/validation_markdown.hpp).
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/output/statistics.hpp>
#include <flywheel/scenario/loader.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel {

// What a row needs from a scenario to mean anything; without it the row is "n/a (no ...)".
enum class RowNeeds { nothing, free_tier, trials, sales };
// How a row's value and bounds are printed.
enum class ValueFormat { percent, times, months, days, number };

// A publication a range comes from (or leans on).
struct RangeSource {
  std::string id;        // the key in the ranges file
  std::string label;     // short name in tables, e.g. "Benchmarkit 2025"
  std::string citation;  // author or publisher, title, year
  std::string url;       // empty when none
  std::string figure;    // the figure it gives, in its own terms
};

// One headline output of one kind of company: which metric, how it is read, the range.
struct RangeRow {
  std::string id;     // e.g. grr_annual; unique within its kind
  std::string label;  // e.g. "annual GRR"
  Metric metric = Metric::arr_usd;
  std::optional<int> month;  // 1-based month read; nullopt: each scenario's horizon
  // > 0: the ratio pooled over this many months ending at `month` (sums of its numerator and
  // denominator), for metrics too noisy to read in one month (pooled_metric_supported).
  int pool_months = 0;
  double low = 0, high = 0;  // inclusive bounds of the median over replicates
  RowNeeds needs = RowNeeds::nothing;
  ValueFormat format = ValueFormat::number;
  std::vector<std::string> sources;  // RangeSource ids
  bool assumption = false;           // the range is the team's assumption, not a published one
  std::string basis;                 // how the range follows from the sources' figures
  std::string path;                  // where the row is in the ranges file: its key path,
  int line = 0, column = 0;          // line and column
};

struct CompanyKind {
  std::string id;
  std::string description;
  std::string like;  // the kind whose rows this one starts from (empty: none)
  std::vector<RangeRow> rows;
};

// A scenario and the kind it is validated as, with a written reason per row that may sit outside
// its range.
struct KindAssignment {
  std::string file;  // scenario path, resolved from the ranges file's folder
  std::string kind;
  std::map<std::string, std::string> reasons;  // row id -> reason
  int line = 0, column = 0;
};

struct PublicRanges {
  std::string file;  // where it was read from
  std::vector<RangeSource> sources;
  std::vector<CompanyKind> kinds;  // rows of `like` kinds already merged in
  std::vector<KindAssignment> scenarios;

  const CompanyKind* kind(std::string_view id) const;
  const RangeSource* source(std::string_view id) const;
};

// Reads and checks a ranges file: every problem (unknown metric, kind or source, a row without a
// source, bounds out of order, ...) at once as InputError with its file:line:col. Scenario paths
// are resolved relative to the file's folder, as `extends:` is.
PublicRanges load_public_ranges(const std::string& file);
PublicRanges load_public_ranges_text(const std::string& yaml, const std::string& name,
                                     const std::string& base_dir = ".");

// Metrics a row may pool over months: trial_conversion, win_rate, sales_cycle_days, logo_churn.
bool pooled_metric_supported(Metric metric);

enum class RowStatus { in, outside, out, not_applicable };

// The status of a median `p50` over `n` replicates: in [low, high] is `in`; otherwise (or when no
// replicate defines it, n == 0) `outside` with a written reason and `out` without one.
RowStatus row_status(double p50, int n, double low, double high, bool has_reason);

// Why a row does not apply to `scenario` ("no trials"), or nullopt when it does.
std::optional<std::string> row_not_applicable(const RangeRow& row, const Scenario& scenario);

// One row's value for each replicate of `run` (NaN where undefined): the metric at `month`, or
// pooled over the window (clipped at month 1). The row's month must lie within the run's horizon
// (run_validation checks it before running).
std::vector<double> row_values(const RunResult& run, const RangeRow& row);

struct RowResult {
  RangeRow row;
  RowStatus status = RowStatus::not_applicable;
  std::string note;     // n/a: why not; outside: the written reason
  Distribution value;   // over replicates (value.n = replicates where defined)
  int first_month = 0;  // months read, 1-based (equal unless pooled)
  int last_month = 0;
};

struct ScenarioValidation {
  std::string file;  // as resolved
  std::string name;
  std::string kind;
  int replicates = 0;
  std::uint32_t seed = 0;
  int months = 0;
  std::vector<RowResult> rows;
};

// A scenario to validate: its file, the kind to validate it as and the reasons on file.
struct ValidationItem {
  std::string file;
  const CompanyKind* kind = nullptr;
  std::map<std::string, std::string> reasons;
  std::string ranges_file;  // where the kind's rows are, for messages
};

// The items for the scenarios named (empty: every scenario of the ranges file, in its order).
// A named scenario takes `kind` when given, else its assignment in the file; one in neither is
// bad input (InputError), as is an unknown kind.
std::vector<ValidationItem> validation_items(const PublicRanges& ranges,
                                             const std::vector<std::string>& scenario_files,
                                             const std::string& kind);

// Loads every item with `overrides` (e.g. simulation.replicates), checks each row's months against
// its horizon, and only then runs them one after another: bad input anywhere is one InputError
// before anything runs. Scenario warnings are appended to `warnings` when given.
std::vector<ScenarioValidation> run_validation(const std::vector<ValidationItem>& items,
                                               const std::vector<Override>& overrides,
                                               const RunOptions& options,
                                               std::vector<Diagnostic>* warnings = nullptr);

// Rows with status `out`, over all scenarios.
int count_out(const std::vector<ScenarioValidation>& results);

std::string_view to_string(RowStatus status);
std::string_view to_string(RowNeeds needs);
std::string_view to_string(ValueFormat format);

}  // namespace flywheel
