// The run report's community: the community outputs grouped by the business value they stand
// for, after the SPACES model (support, product, acquisition, contribution, engagement,
// success: David Spinks, CMX, "SPACES Model: The Framework for Defining Your Community's
// Business Value", 2021). docs/community.md maps each goal to its levers and metrics.
#include "report_charts.hpp"
#include "report_run_sections.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace flywheel::report {

namespace {

struct Goal {
  std::string_view letter, name, value, levers;
  std::array<std::string_view, 4> metrics;  // empty entries unused
  std::string_view color;
};

// In SPACES order. Levers are strategy.clg keys; metrics are drawn when they say something.
constexpr std::array<Goal, 6> kGoals = {{
    {"S", "Support", "members answer each other's questions",
     "support (answers per contributor and per team member, team size)",
     {"support_answers"},
     "#0891b2"},
    {"P", "Product", "members' feedback shapes the product",
     "co_creation (feedback scale, lag, activation lift, churn reduction)",
     {"product_quality"},
     "#7c3aed"},
    {"A", "Acquisition", "members and their content bring new people",
     "nonuser_draw_per_month, content reach, events, champions' referral multiplier, trust",
     {"aware_community", "signups_community"},
     "#2563eb"},
    {"C", "Contribution", "members create content and lead",
     "the ladder (promote_*, demote), content (pieces per contributor)",
     {"members_contributing", "members_leading", "content_pieces"},
     "#ea580c"},
    {"E", "Engagement", "people join, take part and stay members",
     "join_per_month, gravity, events, leave_per_month, the ladder",
     {"community_members", "active_members", "community_share_of_users", "community_leaves"},
     "#059669"},
    {"S", "Success", "members succeed with the product and stay users",
     "support's activation and early-churn multipliers, champions' advocacy, co-creation, "
     "member_churn_multiplier",
     {"tenure_members_months", "tenure_nonmembers_months", "retention_lift",
      "retention_lift_stage_adjusted"},
     "#d97706"},
}};

}  // namespace

Section community_section(const Timeseries& ts, Json& datasets) {
  Section section{
      "Community by SPACES",
      "<p>The community's outputs grouped by the business value each stands for, after the "
      "SPACES model (support, product, acquisition, contribution, engagement, success; CMX, "
      "2021). Medians with 50% and 90% bands. Tenures are 1 / the churn hazard of active users "
      "over the trailing 12 months, for active members and for the others: members are the "
      "engaged users, so their longer tenure is not by itself an effect of the community; "
      "compare runs with and without a mechanism (<code>flywheel compare</code>).</p>\n"};
  const int months = last_month(ts);
  std::string table =
      "<table><tr><th>goal</th><th>what the community does</th><th>levers "
      "(<code>strategy.clg</code>)</th><th>drawn</th></tr>\n";
  std::vector<std::string> silent;
  for (const Goal& g : kGoals) {
    std::string drawn;
    const std::string group = fmt::format("{} · {}", g.letter, g.name);
    for (std::string_view metric : g.metrics) {
      if (metric.empty()) continue;
      const MetricStyle style = metric_style(metric);
      if (says_nothing(series(ts, metric))) {
        silent.push_back(style.title);
        continue;
      }
      add_rows(datasets["timeseries"], ts, metric, style.title, 0, true);
      Chart chart = metric_fan_chart(metric, style, std::string(g.color), months);
      chart.id = chart_id("community-" + std::string(metric));
      chart.group = group + ": " + std::string(g.value);
      if (metric.starts_with("retention_lift")) {  // the practitioners' claim, for reference
        add_y_rule(chart.spec, 0.5);
        chart.spec["title"]["subtitle"] =
            "median, 50% and 90% of replicates; dotted: \"members stay 50% longer\"";
      }
      section.charts.push_back(std::move(chart));
      drawn += (drawn.empty() ? "" : ", ") + escape_html(style.title);
    }
    table += fmt::format("<tr><td><b>{}</b> {}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         g.letter, g.name, escape_html(g.value), escape_html(g.levers),
                         drawn.empty() ? "—" : drawn);
  }
  section.intro_html += table + "</table>\n";
  section.body_html = left_out_note(silent, "zero or undefined in every month and replicate");
  return section;
}

// Whether the run has a community to report: any member in any month.
bool has_community(const Timeseries& ts) {
  return !says_nothing(series(ts, "community_members"));
}

}  // namespace flywheel::report
