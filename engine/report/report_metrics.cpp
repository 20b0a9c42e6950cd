// How a metric is shown in a report: its title, unit and d3-format number formats, from the
// metric list (metric_list.inc) and a few display names for the headline metrics.
#include "report_page.hpp"

#include <flywheel/spec/metrics.hpp>

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace flywheel::report {

namespace {

struct Known {
  std::string_view name, title;
};

constexpr std::array<Known, 44> kTitles = {{
    {"arr_usd", "ARR"},
    {"mrr_usd", "MRR"},
    {"accounts_paying", "Paying accounts"},
    {"active_users", "Active users"},
    {"users_unaware", "Unaware"},
    {"users_aware", "Aware"},
    {"users_evaluator", "Evaluators"},
    {"users_beginner", "Beginners"},
    {"users_regular", "Regulars"},
    {"users_champion", "Champions"},
    {"users_churned", "Churned"},
    {"logo_churn", "Logo churn (monthly)"},
    {"grr", "Gross revenue retention (monthly)"},
    {"nrr", "Net revenue retention (monthly)"},
    {"net_revenue_churn", "Net revenue churn (monthly)"},
    {"k_factor", "K-factor (monthly)"},
    {"cohort_k", "Cohort K-factor"},
    {"arpu_usd", "ARPU"},
    {"arpa_usd", "ARPA"},
    {"cac_usd", "Blended CAC"},
    {"ltv_usd", "LTV"},
    {"ltv_to_cac", "LTV / CAC"},
    {"nrr_annual", "Net revenue retention (annual)"},
    {"grr_annual", "Gross revenue retention (annual)"},
    {"logo_retention_annual", "Logo retention (annual)"},
    {"burn_usd", "Net burn"},
    {"cash_usd", "Cash"},
    {"cac_payback_months", "CAC payback"},
    {"burn_multiple", "Burn multiple"},
    {"spend_cumulative_usd", "Spend, cumulative"},
    {"gross_profit_cumulative_usd", "Gross profit, cumulative"},
    {"gross_profit_usd", "Gross profit"},
    {"cogs_hosting_usd", "Hosting (COGS)"},
    {"spend_ga_usd", "G&A spend"},
    {"aware_community", "Made aware by the community"},
    {"signups_community", "Signups from the community"},
    {"community_share_of_users", "Members among active users"},
    {"tenure_members_months", "Tenure of active members"},
    {"tenure_nonmembers_months", "Tenure of other active users"},
    {"retention_lift", "Members' retention lift (tenure ratio − 1)"},
    {"retention_lift_stage_adjusted", "Members' retention lift at equal stage mix"},
    {"user_churn_members", "Churn hazard of active members"},
    {"user_churn_nonmembers", "Churn hazard of other active users"},
    {"median_ttv_days", "Time to value (median)"},
}};

// Ratios that read as multiples, not percentages.
constexpr std::array<std::string_view, 4> kPlainRatios = {"k_factor", "cohort_k", "ltv_to_cac",
                                                          "burn_multiple"};

std::string fallback_title(std::string_view name) {
  std::string title(name);
  if (title.size() > 4 && title.ends_with("_usd")) title.resize(title.size() - 4);
  for (char& c : title) c = c == '_' ? ' ' : c;
  if (!title.empty())
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

// "USD/month" -> "USD per month".
std::string unit_words(std::string_view unit) {
  std::string out;
  for (char c : unit) {
    if (c == '/') {
      out += " per ";
    } else {
      out += c;
    }
  }
  return out;
}

MetricStyle style_of_metric(std::string_view name) {
  MetricStyle style;
  style.title = fallback_title(name);
  for (const Known& k : kTitles) {
    if (k.name == name) style.title = std::string(k.title);
  }
  std::string_view unit;
  if (const auto metric = metric_by_name(name))
    unit = metric_infos()[static_cast<int>(*metric)].unit;
  const bool plain_ratio =
      std::find(kPlainRatios.begin(), kPlainRatios.end(), name) != kPlainRatios.end();
  if (unit.starts_with("USD")) {
    style.unit = unit_words(unit);
    style.axis_format = "$~s";
    style.tooltip_format = "$,.0f";
  } else if (unit == "ratio" && !plain_ratio) {
    style.axis_format = "~%";
    style.tooltip_format = ".2%";
  } else if (unit == "ratio" || unit == "index") {
    style.unit = unit == "index" ? "index" : "";
    style.axis_format = "~r";
    style.tooltip_format = ".3f";
  } else if (unit == "days" || unit == "months") {
    style.unit = std::string(unit);
    style.axis_format = "~r";
    style.tooltip_format = ",.1f";
  } else {
    style.unit = unit_words(unit);
    style.axis_format = "~s";
    style.tooltip_format = ",.0f";
  }
  return style;
}

// The part of a sweep output after '@': "36" -> "at month 36", "last" -> "at the horizon",
// "mean:1-12" -> "mean over months 1–12".
std::string output_when(std::string_view at) {
  if (at == "last") return "at the horizon";
  if (!at.empty() && std::all_of(at.begin(), at.end(), [](char c) { return std::isdigit(c); })) {
    return fmt::format("at month {}", at);
  }
  const auto colon = at.find(':');
  if (colon == std::string_view::npos) return std::string(at);
  std::string range(at.substr(colon + 1));
  for (char& c : range) c = c == '-' ? ' ' : c;
  const auto space = range.find(' ');
  if (space != std::string::npos) range.replace(space, 1, "–");
  return fmt::format("{} over months {}", at.substr(0, colon), range);
}

}  // namespace

MetricStyle metric_style(std::string_view name) {
  const auto at = name.find('@');
  if (at == std::string_view::npos) return style_of_metric(name);
  MetricStyle style = style_of_metric(name.substr(0, at));
  style.title += ", " + output_when(name.substr(at + 1));
  return style;
}

std::string axis_title(const MetricStyle& style) {
  return style.unit.empty() ? style.title : fmt::format("{} ({})", style.title, style.unit);
}

}  // namespace flywheel::report
