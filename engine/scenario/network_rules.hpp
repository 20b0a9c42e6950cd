// Rules of the `network:` block that need the whole scenario (the simulated people) and, for
// `edge_list`, reading the file it names, relative to the scenario file that names it.
#pragma once

#include "yaml_tree.hpp"

#include "common/diagnostics.hpp"

#include <flywheel/spec/scenario.hpp>

#include <filesystem>
#include <string>

namespace flywheel::loader {

// `top_file` / `top_folder`: how the top scenario is shown and the folder its relative paths
// start from (files of an `extends:` chain use their own folder).
void check_network(Scenario& scenario, const TreeNode& root, const std::string& top_file,
                   const std::filesystem::path& top_folder, Diagnostics& diagnostics);

}  // namespace flywheel::loader
