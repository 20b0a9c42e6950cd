// The channel table (include/flywheel/spec/channels.inc) reaches everything generated from it:
// the per-channel metrics, the unaware rule's exits and the report's awareness flow.
#include "model/flywheel.hpp"
#include "report/report_charts.hpp"

#include <flywheel/spec/metrics.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace flywheel;

namespace {

bool is_awareness_channel(Channel c) {
  return std::find(kAwarenessChannels.begin(), kAwarenessChannels.end(), c) !=
         kAwarenessChannels.end();
}

}  // namespace

TEST_CASE("every channel has signups_<channel>; awareness channels have aware_<channel>",
          "[channels]") {
  for (int c = 0; c < kChannelCount; ++c) {
    const std::string name = kChannelNames[c];
    INFO(name);
    CHECK(metric_by_name("signups_" + name).has_value());
    CHECK(metric_by_name("aware_" + name).has_value() ==
          is_awareness_channel(static_cast<Channel>(c)));
  }
}

TEST_CASE("the unaware rule has an exit for every awareness channel, in table order",
          "[channels]") {
  std::array<double, kChannelCount> per_month{};
  per_month.fill(0.1);  // every channel, awareness or not: only awareness channels take exits
  const model::StageRule rule = model::unaware_rule(per_month, 1.0);
  REQUIRE(rule.exits == static_cast<int>(kAwarenessChannels.size()));
  for (int i = 0; i < rule.exits; ++i) {
    CHECK(rule.exit[i].to == Stage::aware);
    CHECK(rule.exit[i].channel == kAwarenessChannels[i]);
  }
  CHECK(rule.exit[rule.exits - 1].upto == std::uint64_t{1} << 32);
}

TEST_CASE("the report's unaware -> aware flow counts every aware_<channel> metric", "[channels]") {
  // One person a month for every metric: the awareness flow must hold one per aware_ metric.
  int aware_metrics = 0;
  for (const MetricInfo& m : metric_infos()) aware_metrics += m.name.starts_with("aware_") ? 1 : 0;
  CHECK(aware_metrics == static_cast<int>(kAwarenessChannels.size()));
  const report::MonthlyMeans means = [](std::string_view) {
    return std::vector<std::pair<int, double>>{{0, 1.0}};
  };
  report::Json datasets = report::Json::object();
  report::stage_flow_section(means, datasets);
  bool found = false;
  for (const report::Json& row : datasets["flow_totals"]) {
    if (row["flow"] != "unaware → aware") continue;
    found = true;
    CHECK(row["people"].get<double>() == aware_metrics);
  }
  CHECK(found);
}
