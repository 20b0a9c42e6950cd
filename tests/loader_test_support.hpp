// Helpers shared by the loader tests: load YAML text and return the diagnostics it produced.
#pragma once

#include <flywheel/common/errors.hpp>
#include <flywheel/scenario/loader.hpp>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace flywheel::loader_test {

// A small valid scenario: line 1 name, 2 market, 3 people, 4 segments, 5 "- name", 6 share.
inline const std::string kMinimal =
    "name: t\n"
    "market:\n"
    "  people: 1000\n"
    "  segments:\n"
    "    - name: smb\n"
    "      share: 1\n";

inline std::vector<std::string> diagnostics_of(const std::string& yaml,
                                               const std::vector<Override>& overrides = {},
                                               const std::string& base_dir = ".") {
  try {
    load_scenario_text(yaml, "bad.yaml", overrides, base_dir);
  } catch (const InputError& error) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : error.diagnostics()) lines.push_back(d.to_string());
    return lines;
  }
  return {};
}

inline std::string first_diagnostic(const std::string& yaml,
                                    const std::vector<Override>& overrides = {}) {
  const std::vector<std::string> lines = diagnostics_of(yaml, overrides);
  return lines.empty() ? "(no diagnostic)" : lines.front();
}

using flywheel::test::TempDir;

}  // namespace flywheel::loader_test
