// The public-ranges file and the validation rules: what the reader accepts and refuses (with
// file:line:col), a row's status, when a row applies, how pooled rows are read, and the page.
#include "fixtures.hpp"

#include <flywheel/experiments/validation.hpp>
#include <flywheel/report/validation_markdown.hpp>
#include <flywheel/scenario/loader.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace flywheel;

namespace {

// Line 1 sources, 2 one source, 3 kinds, 4-8 k1 with two rows (lines 7 and 8), 9-14 k2, which
// overrides one row and adds one, 15 scenarios, 16 one scenario.
const std::string kValid = R"yaml(sources:
  s1: {label: S 2024, citation: "Someone, Survey (2024)", figure: "median 88%"}
kinds:
  k1:
    description: base kind
    rows:
      - {row: grr, metric: grr_annual, range: [0.75, 0.9], sources: [s1], basis: b1}
      - {row: trials, label: trial conversion, metric: trial_conversion, pool_months: 6, needs: trials, range: [0.1, 0.25], assumption: true, basis: b2}
  k2:
    description: derived kind
    like: k1
    rows:
      - {row: grr, metric: grr_annual, range: [0.85, 0.95], sources: [s1], basis: b3}
      - {row: payback, metric: cac_payback_months, range: [5, 18], sources: [s1], basis: b4}
scenarios:
  - {file: plg-freemium.yaml, kind: k2, reasons: {grr: "a written reason"}}
)yaml";

PublicRanges load(const std::string& yaml) {
  return load_public_ranges_text(yaml, "ranges.yaml", test::source_path("scenarios"));
}

// The problems `yaml` is refused with, as file:line:col: path: message lines.
std::vector<std::string> problems(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const InputError& e) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : e.diagnostics()) lines.push_back(d.to_string());
    return lines;
  }
  return {};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("ranges file: rows, like-kinds and scenarios are read", "[validation]") {
  const PublicRanges r = load(kValid);
  REQUIRE(r.sources.size() == 1);
  CHECK(r.sources[0].label == "S 2024");
  REQUIRE(r.kinds.size() == 2);
  const CompanyKind& k1 = r.kinds[0];
  REQUIRE(k1.rows.size() == 2);
  CHECK(k1.rows[0].metric == Metric::grr_annual);
  CHECK(k1.rows[0].label == "grr");                  // the id when no label is given
  CHECK(k1.rows[0].format == ValueFormat::percent);  // from the metric's unit, a ratio
  CHECK_FALSE(k1.rows[0].month);
  CHECK(k1.rows[0].line == 7);
  CHECK(k1.rows[1].pool_months == 6);
  CHECK(k1.rows[1].needs == RowNeeds::trials);
  CHECK(k1.rows[1].assumption);
  CHECK(k1.rows[1].sources.empty());
  // k2 starts from k1's rows: its grr replaces k1's in place, payback is added at the end.
  const CompanyKind& k2 = *r.kind("k2");
  REQUIRE(k2.rows.size() == 3);
  CHECK(k2.rows[0].id == "grr");
  CHECK(k2.rows[0].low == 0.85);
  CHECK(k2.rows[1].id == "trials");
  CHECK(k2.rows[2].format == ValueFormat::months);
  REQUIRE(r.scenarios.size() == 1);
  CHECK(r.scenarios[0].file == test::source_path("scenarios/plg-freemium.yaml"));
  CHECK(r.scenarios[0].reasons.at("grr") == "a written reason");
}

TEST_CASE("ranges file: bad input is refused with file:line:col", "[validation]") {
  CHECK(problems(replaced(kValid, "metric: grr_annual, range: [0.75",
                          "metric: gr_annual, range: [0.75")) ==
        std::vector<std::string>{"ranges.yaml:7:28: kinds.k1.rows[0].metric: \"gr_annual\" is not "
                                 "a metric; did you mean grr_annual?; expected a name from "
                                 "`flywheel metrics`"});
  CHECK(problems(replaced(kValid, "kind: k2,", "kind: k3,")) ==
        std::vector<std::string>{"ranges.yaml:16:37: scenarios[0].kind: \"k3\" is not a kind; "
                                 "expected one of k1, k2"});
  CHECK(problems(replaced(kValid, "[0.75, 0.9], sources: [s1]", "[0.75, 0.9]")) ==
        std::vector<std::string>{"ranges.yaml:7:9: kinds.k1.rows[0].sources: missing; expected a "
                                 "list of source ids from sources:, or assumption: true when no "
                                 "public figure was found"});
  const auto first = [](const std::string& yaml) {
    const std::vector<std::string> lines = problems(yaml);
    return lines.empty() ? std::string("(accepted)") : lines.front();
  };
  CHECK_THAT(first(replaced(kValid, "sources: [s1], basis: b1", "sources: [s2], basis: b1")),
             Catch::Contains("kinds.k1.rows[0].sources[0]: \"s2\" is not a source"));
  CHECK_THAT(first(replaced(kValid, "[0.75, 0.9]", "[0.9, 0.75]")),
             Catch::Contains("low 0.9 is above high 0.75"));
  CHECK_THAT(first(replaced(kValid, "range: [5, 18]", "pool_months: 3, range: [5, 18]")),
             Catch::Contains("cac_payback_months cannot be pooled over months"));
  const std::vector<std::string> renamed = problems(replaced(kValid, ", basis: b1", ", bases: b1"));
  CHECK(renamed.size() == 2);  // bases is unknown, and basis missing
  CHECK_THAT(renamed.back(), Catch::Contains("unknown key \"bases\"; did you mean basis?"));
  CHECK_THAT(first(replaced(kValid, "like: k1", "like: k9")),
             Catch::Contains("kinds.k2.like: \"k9\" is not a kind defined above"));
  CHECK_THAT(first(replaced(kValid, "{grr: ", "{nrr: ")),
             Catch::Contains("scenarios[0].reasons.nrr: \"nrr\" is not a row of kind k2"));
  CHECK_THAT(first(replaced(kValid, "file: plg-freemium.yaml", "file: nowhere.yaml")),
             Catch::Contains("scenarios[0].file: \"nowhere.yaml\" is not a file"));
  CHECK_THAT(first(replaced(kValid, "needs: trials", "needs: trial")),
             Catch::Contains("expected one of free_tier, trials, sales"));
  CHECK_THAT(first(replaced(kValid, "label: S 2024, ", "")),
             Catch::Contains("sources.s1.label: missing"));
  CHECK_THAT(first(""), Catch::Contains("empty file"));
  CHECK_THAT(first("sources: [\n"), Catch::Contains("ranges.yaml:"));
}

TEST_CASE("validation: a row's status", "[validation]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(row_status(0.5, 20, 0.5, 0.9, false) == RowStatus::in);  // bounds are inclusive
  CHECK(row_status(0.9, 20, 0.5, 0.9, false) == RowStatus::in);
  CHECK(row_status(0.95, 20, 0.5, 0.9, false) == RowStatus::out);
  CHECK(row_status(0.95, 20, 0.5, 0.9, true) == RowStatus::outside);
  CHECK(row_status(0.7, 20, 0.5, 0.9, true) == RowStatus::in);   // a reason never hides a pass
  CHECK(row_status(nan, 0, 0.5, 0.9, false) == RowStatus::out);  // undefined everywhere
  CHECK(row_status(nan, 0, 0.5, 0.9, true) == RowStatus::outside);
}

TEST_CASE("validation: rows apply only where the scenario has what they measure", "[validation]") {
  RangeRow row;
  const Scenario freemium = load_scenario(test::source_path("scenarios/plg-freemium.yaml"));
  const Scenario trial = load_scenario(test::source_path("scenarios/plg-trial-plus-sales.yaml"));
  const Scenario slg = load_scenario(test::source_path("scenarios/slg-enterprise.yaml"));
  row.needs = RowNeeds::trials;
  CHECK(row_not_applicable(row, freemium) == "no trials");
  CHECK_FALSE(row_not_applicable(row, trial));
  row.needs = RowNeeds::sales;
  CHECK(row_not_applicable(row, freemium) == "no sales team");
  CHECK_FALSE(row_not_applicable(row, trial));
  CHECK_FALSE(row_not_applicable(row, slg));
  row.needs = RowNeeds::free_tier;
  CHECK(row_not_applicable(row, slg) == "no free tier");
  CHECK_FALSE(row_not_applicable(row, freemium));
  row.needs = RowNeeds::nothing;
  CHECK_FALSE(row_not_applicable(row, slg));
}

TEST_CASE("validation: pooled rows sum numerators and denominators over their months",
          "[validation]") {
  RunResult run;
  run.scenario.simulation.months = 3;
  run.scenario.simulation.agent_scale = 1;
  ReplicateResult rep;
  rep.months.resize(3);
  rep.months[0].trials_converted = 9;  // outside a 2-month window ending at month 3
  rep.months[0].trials_expired = 1;
  rep.months[1].trials_converted = 1;
  rep.months[1].trials_expired = 3;
  rep.months[2].trials_converted = 2;
  rep.months[2].trials_expired = 14;
  rep.months[1].deals_won = 1;
  rep.months[1].deals_lost = 1;
  rep.months[1].sales_cycle_days = 30.0;
  rep.months[2].deals_won = 1;
  rep.months[2].deals_lost = 3;
  rep.months[2].sales_cycle_days = 60.0;
  run.replicates = {rep};
  RangeRow row;
  row.metric = Metric::trial_conversion;
  row.pool_months = 2;
  CHECK(row_values(run, row).at(0) == Approx(3.0 / 20.0));  // not the mean of 1/4 and 2/16
  row.pool_months = 12;                                     // clipped at month 1
  CHECK(row_values(run, row).at(0) == Approx(12.0 / 30.0));
  row.metric = Metric::win_rate;
  row.pool_months = 2;
  CHECK(row_values(run, row).at(0) == Approx(2.0 / 6.0));
  row.metric = Metric::sales_cycle_days;  // a mean per closed deal: weighted by closed deals
  CHECK(row_values(run, row).at(0) == Approx((30.0 * 2 + 60.0 * 4) / 6.0));
  row.pool_months = 0;  // one month: the reported metric
  row.month = 2;
  CHECK(row_values(run, row).at(0) == Approx(30.0));
}

TEST_CASE("validation: the page shows values, ranges, statuses and sources", "[validation]") {
  const PublicRanges ranges = load(kValid);
  RowResult r;
  r.row = ranges.kinds[1].rows[0];  // k2's grr: 85% to 95%
  r.status = RowStatus::outside;
  r.note = "contracts | seats";
  r.value = summarize(std::vector<double>{0.80, 0.81, 0.82});
  r.first_month = r.last_month = 36;
  ScenarioValidation v{"x.yaml", "x", "k2", 3, 7, 36, {r}};
  const std::string page = validation_markdown(ranges, {v}, "flywheel ranges x");
  CHECK_THAT(page, Catch::Contains("Generated by `flywheel ranges x`"));
  CHECK_THAT(page, Catch::Contains("| [x](#x) | k2 | 0 | 1 | 0 | 0 |"));
  CHECK_THAT(page, Catch::Contains("| grr | `grr_annual`, month 36 | 81.0% | 80.1% to 81.9% | "
                                   "85% to 95% | outside: contracts \\| seats | S 2024 |"));
  CHECK_THAT(page, Catch::Contains("| S 2024 | Someone, Survey (2024) | median 88% |"));
  CHECK(page == validation_markdown(ranges, {v}, "flywheel ranges x"));
  CHECK(format_validation_value(std::nan(""), ValueFormat::percent) == "undefined");
  CHECK(format_validation_value(4.613, ValueFormat::times) == "4.61x");
  CHECK(format_validation_value(47.6, ValueFormat::days) == "48 d");
  CHECK(format_validation_range(ranges.kinds[1].rows[2]) == "5 mo to 18 mo");
}
