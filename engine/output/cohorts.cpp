// cohorts.csv: the cohort retention triangle, tidy (long), one row per kind, cohort and age:
//   kind,cohort_month,age_months,cohort_size,mean,sd,p5,p25,p50,p75,p95,n
// kind `accounts`: accounts by the month of their first paid plan, retained = paying at the end
// of month cohort_month + age_months; kind `users`: the month's signups, retained = active users
// then whose latest signup was in that month. The statistics are those of the retained share
// (retained / cohort size) over the replicates where the cohort is not empty; cohort_size is the
// mean size over all replicates, scaled back by agent_scale. Months are 1-based, as in
// timeseries.csv.
#include <flywheel/output/output.hpp>

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <numeric>
#include <string_view>
#include <vector>

namespace flywheel {

namespace {

struct CohortKind {
  std::string_view name;
  std::int64_t (*size)(const MonthRecord&);          // the cohort's size, from its own month
  std::vector<std::int64_t> MonthRecord::*retained;  // [c] retained at this month end
};

std::int64_t accounts_first_paid(const MonthRecord& r) {
  return r.cohort_accounts_new;
}

std::int64_t signups(const MonthRecord& r) {
  return std::accumulate(r.signups_by_channel.begin(), r.signups_by_channel.end(), std::int64_t{0});
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void append_value(fmt::memory_buffer& out, double v) {
  out.push_back(',');
  if (std::isfinite(v)) fmt::format_to(std::back_inserter(out), "{}", v);
}

// Rows of one kind: every cohort month c, every age up to the horizon.
void append_kind(fmt::memory_buffer& out, const RunResult& run, const CohortKind& kind) {
  const int months = run.scenario.simulation.months;
  const double scale = run.scenario.simulation.agent_scale;
  std::vector<double> shares(run.replicates.size());
  for (int c = 0; c < months; ++c) {
    double size_sum = 0.0;
    for (const ReplicateResult& r : run.replicates)
      size_sum += static_cast<double>(kind.size(r.months[c]));
    const double size_mean =
        run.replicates.empty() ? kNaN : size_sum * scale / static_cast<double>(shares.size());
    for (int m = c; m < months; ++m) {
      for (std::size_t i = 0; i < run.replicates.size(); ++i) {
        const std::vector<MonthRecord>& rec = run.replicates[i].months;
        const std::int64_t size = kind.size(rec[c]);
        const std::vector<std::int64_t>& retained = rec[m].*kind.retained;
        const std::int64_t kept = static_cast<std::size_t>(c) < retained.size() ? retained[c] : 0;
        shares[i] = size > 0 ? static_cast<double>(kept) / static_cast<double>(size) : kNaN;
      }
      const Distribution d = summarize(shares);
      fmt::format_to(std::back_inserter(out), "{},{},{}", kind.name, c + 1, m - c);
      for (double v : {size_mean, d.mean, d.sd, d.p5, d.p25, d.p50, d.p75, d.p95}) {
        append_value(out, v);
      }
      fmt::format_to(std::back_inserter(out), ",{}\n", d.n);
    }
  }
}

}  // namespace

std::string cohorts_csv_text(const RunResult& run) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out),
                 "kind,cohort_month,age_months,cohort_size,mean,sd,p5,p25,p50,p75,p95,n\n");
  append_kind(out, run, {"accounts", accounts_first_paid, &MonthRecord::accounts_paying_by_cohort});
  append_kind(out, run, {"users", signups, &MonthRecord::users_active_by_cohort});
  return fmt::to_string(out);
}

}  // namespace flywheel
