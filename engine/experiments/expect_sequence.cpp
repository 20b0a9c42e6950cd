#include <flywheel/experiments/expect_sequence.hpp>

#include <flywheel/common/errors.hpp>
#include <flywheel/common/version.hpp>
#include <flywheel/output/output.hpp>

namespace flywheel {

std::vector<int> milestone_months(int horizon_months) {
  std::vector<int> months;
  for (int month : {12, 24, 36}) {
    if (month <= horizon_months) months.push_back(month);
  }
  if (horizon_months > 0 && (months.empty() || months.back() != horizon_months)) {
    months.push_back(horizon_months);
  }
  return months;
}

std::string expected_json_text(const Scenario& scenario, const meanfield::ExpectedRun& run) {
  using OrderedJson = nlohmann::ordered_json;
  OrderedJson doc = OrderedJson::object();
  doc["flywheel_version"] = kVersion;
  doc["scenario"] = OrderedJson{{"name", scenario.name}, {"file", scenario.source_file}};
  doc["months"] = run.months.size();
  OrderedJson approximations = OrderedJson::array();
  for (const meanfield::Approximation& a : run.approximations) {
    approximations.push_back(OrderedJson{{"mechanism", a.mechanism}, {"note", a.note}});
  }
  doc["approximations"] = std::move(approximations);
  doc["integrator"] = OrderedJson{{"method", "Cash-Karp 5(4), adaptive (Boost.Odeint)"},
                                  {"absolute_tolerance", run.absolute_tolerance},
                                  {"relative_tolerance", run.relative_tolerance},
                                  {"right_hand_sides", run.evaluations}};
  OrderedJson at_months = OrderedJson::object();
  for (int month : milestone_months(static_cast<int>(run.months.size()))) {
    OrderedJson values = OrderedJson::object();
    for (const Metric metric : kExpectHeadline) {
      // NaN (undefined, or no mean-field meaning) is written as null by json_file_text.
      values[std::string(metric_name(metric))] =
          run.months[static_cast<std::size_t>(month - 1)][static_cast<std::size_t>(metric)];
    }
    at_months[std::to_string(month)] = std::move(values);
  }
  doc["at_months"] = std::move(at_months);
  return json_file_text(doc);
}

ExpectTexts expect_texts(const Scenario& scenario, const meanfield::ExpectedRun& run) {
  return ExpectTexts{meanfield::expected_csv(run), expected_json_text(scenario, run)};
}

std::optional<meanfield::ExpectedRun> try_expect(const Scenario& scenario, std::string& why) {
  try {
    return meanfield::expect(scenario);
  } catch (const InputError& e) {
    why.clear();
    for (const Diagnostic& d : e.diagnostics()) why += (why.empty() ? "" : "; ") + d.to_string();
    return std::nullopt;
  }
}

}  // namespace flywheel
