#include "network_rules.hpp"

#include "edge_list.hpp"
#include "param_schema.hpp"

#include "common/key_path.hpp"
#include "common/text_file.hpp"

#include <cmath>

namespace flywheel::loader {

namespace {

namespace fs = std::filesystem;

// Far above any graph the engine can hold in memory (a tie is about 10 bytes of text); keeps a
// mistaken path to a huge file from being read whole.
constexpr std::size_t kMaxEdgeListBytes = std::size_t{1} << 30;

class NetworkChecker {
 public:
  NetworkChecker(Scenario& s, const TreeNode& root, Diagnostics& diagnostics)
      : s_(s), root_(root), diagnostics_(diagnostics), people_(simulated_people(s)) {}

  void check_parameters() {
    const NetworkSpec& n = s_.network;
    const double most = static_cast<double>(people_ - 1);
    switch (n.model) {
      case NetworkModel::erdos_renyi:
        if (n.mean_degree > most) add("network.mean_degree", above(n.mean_degree, most));
        break;
      case NetworkModel::small_world:
        if (n.mean_degree != 2 * std::floor(n.mean_degree / 2) || n.mean_degree > most) {
          add("network.mean_degree", format_number(n.mean_degree) +
                                         " is not an even integer below the simulated people (" +
                                         std::to_string(people_) +
                                         "); expected a ring lattice degree such as 10");
        }
        break;
      case NetworkModel::scale_free:
        if (n.attachments_m > most) add("network.attachments_m", above(n.attachments_m, most));
        break;
      case NetworkModel::edge_list:
        if (n.edge_list.empty()) {
          add("network", "model edge_list without a file; expected network.edge_list: a path");
        }
        break;
      case NetworkModel::well_mixed:
        break;
    }
  }

  void read_edge_list(const std::string& top_file, const fs::path& top_folder) {
    NetworkSpec& n = s_.network;
    if (n.model != NetworkModel::edge_list || n.edge_list.empty()) return;
    const TreeNode* node = find_path(root_, "network.edge_list");
    const std::string from = node != nullptr ? node->location.file : top_file;
    const fs::path folder = from == top_file ? top_folder : fs::path(from).parent_path();
    const std::string shown = (folder / n.edge_list).lexically_normal().generic_string();
    const FileText read =
        read_text_file(folder / n.edge_list, kMaxEdgeListBytes, FileKind::regular);
    if (!read.error.empty() || read.text.size() > kMaxEdgeListBytes) {
      const std::string why = read.error.empty() ? "larger than 1 GiB" : read.error;
      add("network.edge_list", "cannot read " + shown + ": " + why +
                                   "; expected a CSV or TSV file of person-index pairs, "
                                   "relative to the scenario file's folder");
      return;
    }
    n.edges = parse_edge_list(read.text, shown, people_, diagnostics_);
  }

 private:
  std::string above(double value, double most) const {
    return format_number(value) + " is above the simulated people minus one (" +
           format_number(most) + "); expected at most " + format_number(most);
  }
  void add(const std::string& path, std::string message) {
    const TreeNode* node = find_path(root_, path);
    diagnostics_.add(node != nullptr ? node->location : root_.location, path, std::move(message));
  }

  Scenario& s_;
  const TreeNode& root_;
  Diagnostics& diagnostics_;
  std::int64_t people_;
};

}  // namespace

void check_network(Scenario& scenario, const TreeNode& root, const std::string& top_file,
                   const fs::path& top_folder, Diagnostics& diagnostics) {
  if (diagnostics.any_at_or_under("network") || diagnostics.any_at_or_under("market") ||
      diagnostics.any_at_or_under("simulation")) {
    return;
  }
  NetworkChecker checker(scenario, root, diagnostics);
  checker.check_parameters();
  checker.read_edge_list(top_file, top_folder);
}

}  // namespace flywheel::loader
