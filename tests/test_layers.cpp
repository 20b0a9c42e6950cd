// The layer rules the compiler cannot see. CMakeLists.txt (flywheel_layer) makes an undeclared
// cross-layer include a compile error, and tests/layers/ shows it; a relative path that climbs
// out of a layer's folder ("../report/x.hpp") would slip past that, so none may exist.
#include "fixtures.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {

// Every layer is a folder of engine/; a public header folder of include/flywheel/ must match one.
std::set<std::string> layers() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(flywheel::test::source_path("engine"))) {
    if (entry.is_directory()) names.insert(entry.path().filename().string());
  }
  return names;
}

}  // namespace

TEST_CASE("layers: engine files include other layers only by layer name, never by ../", "[layers]") {
  const std::set<std::string> known = layers();
  REQUIRE(known.count("model") == 1);
  REQUIRE(known.count("common") == 1);
  const std::regex quoted(R"re(^\s*#\s*include\s*"([^"]+)")re");
  const std::regex angled(R"re(^\s*#\s*include\s*<flywheel/([^/>]+)/)re");
  int files = 0;
  for (const char* top : {"engine", "include/flywheel"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(flywheel::test::source_path(top))) {
      if (!entry.is_regular_file()) continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const std::string where = entry.path().string() + ":" + std::to_string(n) + ": " + line;
        std::smatch m;
        if (std::regex_search(line, m, quoted)) {
          const std::string path = m[1];
          INFO(where);
          CHECK(path.find("..") == std::string::npos);
          const auto slash = path.find('/');
          if (slash != std::string::npos) CHECK(known.count(path.substr(0, slash)) == 1);
        } else if (std::regex_search(line, m, angled)) {
          INFO(where);
          CHECK(known.count(m[1]) == 1);
        }
      }
    }
  }
  CHECK(files > 100);
}

TEST_CASE("layers: every public header folder belongs to a layer", "[layers]") {
  const std::set<std::string> known = layers();
  for (const auto& entry :
       fs::directory_iterator(flywheel::test::source_path("include/flywheel"))) {
    INFO(entry.path().string());
    CHECK(entry.is_directory());
    CHECK(known.count(entry.path().filename().string()) == 1);
  }
}
