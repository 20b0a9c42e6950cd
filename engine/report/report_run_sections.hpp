// Sections of the run report built from timeseries.csv and cohorts.csv: the money (spend by
// lever, burn, cash, unit economics) and retention (annual NRR, GRR and logo retention, cohort
// heatmaps). A panel whose metric is zero or undefined in every month and replicate is left out
// with a one-line note.
#pragma once

#include "report_timeseries.hpp"

#include <string>

namespace flywheel::report {

// Spend by lever stacked (hosting as COGS), burn and cash, blended CAC, CAC payback, LTV / CAC,
// burn multiple, cumulative spend against cumulative gross profit.
Section money_section(const Timeseries& ts, Json& datasets);

// Annual NRR, GRR and logo retention (defined from month 13), and the cohort retention heatmaps
// of cohorts.csv (accounts by first-paid month, users by signup month). `cohorts_csv` may be
// empty: a folder written before cohorts.csv existed gets a note.
Section retention_section(const Timeseries& ts, const std::string& cohorts_csv, Json& datasets);

// The community's outputs grouped by SPACES goal (support, product, acquisition, contribution,
// engagement, success: report_community.cpp), a table of the goals and their levers, then the
// charts under a heading per goal. Only for a run with a community (has_community).
Section community_section(const Timeseries& ts, Json& datasets);
bool has_community(const Timeseries& ts);

}  // namespace flywheel::report
