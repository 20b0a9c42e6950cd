// Reading a report page's embedded data in tests (the JSON the page's charts draw from).
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace flywheel::test {

inline constexpr std::string_view kReportDataOpen =
    R"(<script type="application/json" id="report-data">)";

// The JSON of the page's report-data script.
inline nlohmann::json report_data(const std::string& html) {
  const auto from = html.find(kReportDataOpen);
  REQUIRE(from != std::string::npos);
  const auto start = from + kReportDataOpen.size();
  const auto end = html.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return nlohmann::json::parse(html.substr(start, end - start));
}

}  // namespace flywheel::test
