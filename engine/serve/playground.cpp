// The playground's answers: levers, the mean-field twin, agent-run bands and the export.
#include <flywheel/serve/playground.hpp>

#include "export.hpp"
#include "levers.hpp"
#include "settings.hpp"

#include "common/text_file.hpp"

#include <flywheel/meanfield/expect.hpp>
#include <flywheel/model/engine.hpp>
#include <flywheel/scenario/loader.hpp>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>

namespace flywheel::serve {

namespace fs = std::filesystem;

namespace {

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// The q-quantile (0..1) of sorted values, linear between order statistics.
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - static_cast<double>(lo));
}

std::string fmt_cap(double work, double cap) {
  return fmt::format(
      "too much work for one request: {:.0f} simulated person-months (simulated people x "
      "replicates x months); the cap is {:.0f} (flywheel serve --max-person-months)",
      work, cap);
}

}  // namespace

const std::vector<Metric>& playground_metrics() {
  static const std::vector<Metric> metrics = [] {
    std::vector<Metric> out;
    for (const char* name :
         {"active_users", "arr_usd", "mrr_usd", "accounts_paying", "users_unaware", "users_aware",
          "aware_organic", "aware_word_of_mouth", "aware_paid", "signups", "activations",
          "adoptions", "advocacies", "new_pqls", "accounts_new", "free_to_paid", "k_factor",
          "signups_referral", "signups_word_of_mouth", "mrr_new_usd", "mrr_expansion_usd",
          "mrr_contraction_usd", "mrr_churned_usd", "mrr_reactivation_usd", "community_members",
          "members_exploring", "members_participating", "members_contributing",
          "members_leading", "cash_usd"}) {
      if (const std::optional<Metric> m = metric_by_name(name)) out.push_back(*m);
    }
    return out;
  }();
  return metrics;
}

Playground::Playground(PlaygroundOptions options) : options_(std::move(options)) {
  const loader::FileText read = loader::read_text_file(options_.scenario_file, kMaxScenarioBytes);
  if (!read.error.empty()) {
    throw InputError({Diagnostic{options_.scenario_file, 0, 0, "", "cannot read: " + read.error}});
  }
  text_ = read.text;
  base_dir_ = fs::path(options_.scenario_file).parent_path().string();
  if (base_dir_.empty()) base_dir_ = ".";
  base_ = load_scenario(options_.scenario_file);
  levers_ = choose_levers(text_, scenario_to_json(base_), options_.params);
}

nlohmann::json Playground::levers_json() const {
  nlohmann::json levers = nlohmann::json::array();
  for (const Lever& l : levers_) {
    levers.push_back({{"path", l.path},
                      {"label", l.label},
                      {"unit", l.unit},
                      {"kind", l.kind},
                      {"min", l.min},
                      {"max", l.max},
                      {"step", l.step},
                      {"value", l.kind == "boolean" ? nlohmann::json(l.value != 0)
                                                    : nlohmann::json(l.value)}});
  }
  nlohmann::json metrics = nlohmann::json::array();
  for (const Metric m : playground_metrics()) {
    const MetricInfo& info = metric_infos()[static_cast<int>(m)];
    metrics.push_back({{"name", info.name}, {"unit", info.unit}, {"meaning", info.meaning}});
  }
  return {{"scenario", base_.name},
          {"file", fs::path(options_.scenario_file).filename().string()},
          {"months", base_.simulation.months},
          {"people", base_.market.people},
          {"simulated_people", simulated_people(base_)},
          {"levers", levers},
          {"metrics", metrics},
          {"max_person_months", options_.max_person_months},
          {"max_replicates", options_.max_replicates}};
}

Reply Playground::expect(const nlohmann::json& request) const {
  SettingsResult settings = parse_settings(request, levers_);
  if (settings.error) return *settings.error;
  Scenario scenario;
  try {
    scenario = load_scenario_text(text_, options_.scenario_file, settings.overrides, base_dir_);
  } catch (const InputError& e) {
    return input_error_reply(e);
  }
  meanfield::ExpectedRun run;
  try {
    run = meanfield::expect(scenario);
  } catch (const InputError& e) {
    return {422, {{"error", "the mean-field twin cannot express these settings"},
                  {"problems", input_error_reply(e).body["problems"]}}};
  }
  nlohmann::json series = nlohmann::json::object();
  for (const Metric m : playground_metrics()) {
    nlohmann::json values = nlohmann::json::array();
    for (const MetricValues& month : run.months) {
      values.push_back(number_or_null(month[static_cast<int>(m)]));
    }
    series[std::string(metric_name(m))] = std::move(values);
  }
  return {200, {{"months", run.months.size()}, {"series", std::move(series)}}};
}

Reply Playground::run(const nlohmann::json& request, const Cancelled& cancelled) const {
  SettingsResult settings = parse_settings(request, levers_);
  if (settings.error) return *settings.error;
  int replicates = 8;
  if (request.contains("replicates")) {
    const nlohmann::json& r = request["replicates"];
    if (!r.is_number_integer() || r.get<std::int64_t>() < 1 ||
        r.get<std::int64_t>() > options_.max_replicates) {
      return bad_request("replicates", "expected an integer from 1 to " +
                                           std::to_string(options_.max_replicates));
    }
    replicates = r.get<int>();
  }
  Scenario scenario;
  try {
    scenario = load_scenario_text(text_, options_.scenario_file, settings.overrides, base_dir_);
  } catch (const InputError& e) {
    return input_error_reply(e);
  }
  const double work = static_cast<double>(simulated_people(scenario)) * replicates *
                      scenario.simulation.months;
  if (work > options_.max_person_months) {
    return {413, {{"error", fmt_cap(work, options_.max_person_months)},
                  {"cap_person_months", options_.max_person_months},
                  {"person_months", work}}};
  }
  scenario.simulation.replicates = replicates;
  std::vector<ReplicateResult> results(static_cast<std::size_t>(replicates));
  std::atomic<bool> stopped{false};
  tbb::parallel_for(0, replicates, [&](int r) {
    if (stopped.load() || (cancelled && cancelled())) {
      stopped = true;
      return;
    }
    results[static_cast<std::size_t>(r)] = run_replicate(scenario, static_cast<std::uint32_t>(r));
  });
  if (stopped.load() || (cancelled && cancelled())) {
    return {409, {{"error", "superseded by a newer request from the same page"}}};
  }
  const auto months = static_cast<std::size_t>(scenario.simulation.months);
  const double scale = scenario.simulation.agent_scale;
  // values[m][metric][replicate]
  std::vector<std::vector<MetricValues>> per(months);
  for (const ReplicateResult& result : results) {
    for (std::size_t m = 0; m < months && m < result.months.size(); ++m) {
      per[m].push_back(derive_metrics(result.months[m], scale));
    }
  }
  nlohmann::json bands = nlohmann::json::object();
  for (const Metric metric : playground_metrics()) {
    nlohmann::json p5 = nlohmann::json::array(), p50 = nlohmann::json::array(),
                   p95 = nlohmann::json::array();
    for (std::size_t m = 0; m < months; ++m) {
      std::vector<double> values;
      for (const MetricValues& v : per[m]) {
        if (std::isfinite(v[static_cast<int>(metric)])) values.push_back(v[static_cast<int>(metric)]);
      }
      std::sort(values.begin(), values.end());
      p5.push_back(number_or_null(quantile(values, 0.05)));
      p50.push_back(number_or_null(quantile(values, 0.50)));
      p95.push_back(number_or_null(quantile(values, 0.95)));
    }
    bands[std::string(metric_name(metric))] = {{"p5", p5}, {"p50", p50}, {"p95", p95}};
  }
  return {200, {{"months", months}, {"replicates", replicates}, {"bands", std::move(bands)}}};
}

Reply Playground::export_settings(const nlohmann::json& request) const {
  SettingsResult settings = parse_settings(request, levers_);
  if (settings.error) return *settings.error;
  Scenario scenario;
  try {
    scenario = load_scenario_text(text_, options_.scenario_file, settings.overrides, base_dir_);
  } catch (const InputError& e) {
    return input_error_reply(e);
  }
  return {200,
          {{"yaml", export_yaml(scenario, options_.scenario_file, settings.overrides)},
           {"command", run_command_text(options_.scenario_file, settings.overrides)},
           {"file_name", scenario.name + "-playground.yaml"}}};
}

}  // namespace flywheel::serve
