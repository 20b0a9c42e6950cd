#include <flywheel/experiments/run_sequence.hpp>

#include <flywheel/experiments/expect_sequence.hpp>
#include <flywheel/output/output.hpp>

namespace flywheel {

Scenario load_source(const ScenarioSource& source, const std::vector<Override>& overrides,
                     std::vector<Diagnostic>* warnings) {
  if (source.text) {
    return load_scenario_text(*source.text, source.name, overrides, source.base_dir, warnings);
  }
  return load_scenario(source.name, overrides, warnings);
}

RunJob run_job(const Scenario& scenario, const RunOptions& options) {
  RunJob job{run_scenario(scenario, options), {}};
  job.summary = summarize_run(job.run);
  return job;
}

RunTexts run_texts(const RunJob& job) {
  std::string why;
  const std::optional<meanfield::ExpectedRun> expected = try_expect(job.run.scenario, why);
  return RunTexts{summary_json_text(job.run, job.summary), timeseries_csv_text(job.summary),
                  replicates_csv_text(job.run, job.summary), cohorts_csv_text(job.run),
                  expected ? meanfield::expected_csv(*expected) : std::string()};
}

ComparePlan plan_comparison(const ScenarioSource& a, const ScenarioSource& b,
                            const std::vector<Override>& overrides,
                            const std::vector<std::string>& metric_names,
                            const std::vector<int>& months) {
  std::vector<Diagnostic> warnings_a, warnings_b;
  ComparePlan plan{load_source(a, overrides, &warnings_a), load_source(b, overrides, &warnings_b),
                   compare_metrics_by_name(metric_names), months, std::move(warnings_a)};
  plan.warnings.insert(plan.warnings.end(), warnings_b.begin(), warnings_b.end());
  if (plan.months.empty()) plan.months = default_compare_months(plan.a.simulation.months);
  check_pairable(plan.a, plan.b, plan.months);
  return plan;
}

CompareJob run_comparison(const ComparePlan& plan, const RunOptions& options) {
  const int n = plan.a.simulation.replicates;
  RunOptions first = options, second = options;
  if (options.on_progress) {
    first.on_progress = [&](int done, int) { options.on_progress(done, 2 * n); };
    second.on_progress = [&](int done, int) { options.on_progress(n + done, 2 * n); };
  }
  CompareJob job{run_job(plan.a, first), run_job(plan.b, second), {}};
  job.rows = compare_runs(job.a.summary, job.b.summary, plan.metrics, plan.months);
  return job;
}

CompareTexts compare_texts(const ComparePlan& plan, const CompareJob& job) {
  CompareTexts texts{compare_csv_text(job.rows),
                     compare_months_csv_text(job.a.summary, job.b.summary, plan.metrics),
                     compare_json_text(job.a.run, job.b.run, job.rows),
                     {}};
  for (const Comparison& c : job.rows) texts.verdicts.push_back(verdict(c));
  return texts;
}

}  // namespace flywheel
