// The `network:` block through the loader: edge-list files round-trip into the graph, and bad
// files or parameters give exact messages with file:line:col (exit code 2 like any input error).
#include "loader_test_support.hpp"

#include "model/model.hpp"
#include "model/population.hpp"

#include <catch2/catch.hpp>

using namespace flywheel;
using namespace flywheel::loader_test;

namespace {

// kMinimal in one-person accounts with a network block; line 8 is `network:`.
std::string with_network(const std::string& block) {
  return kMinimal + "      account_size: {distribution: fixed, mean_people: 1}\nnetwork:\n" + block;
}

std::vector<std::string> diagnostics_of_file(const TempDir& dir, const std::string& yaml) {
  const std::string file = dir.write("s.yaml", yaml);
  try {
    load_scenario(file);
  } catch (const InputError& error) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : error.diagnostics()) lines.push_back(d.to_string());
    return lines;
  }
  return {};
}

}  // namespace

TEST_CASE("loader: an edge list file round-trips into the graph", "[loader][network]") {
  TempDir dir("edges");
  dir.write("net/ties.csv", "# a path of four people\n0,1\n1\t2\n\n2 3  # spaces too\n");
  const std::string file =
      dir.write("s.yaml", with_network("  model: edge_list\n  edge_list: net/ties.csv\n"
                                       "  account_clique_max: 0\n  account_sample_degree: 0\n"));
  const Scenario s = load_scenario(file);
  using Pair = std::array<std::uint32_t, 2>;
  CHECK(s.network.edges == std::vector<Pair>{{0, 1}, {1, 2}, {2, 3}});
  const model::Model m(s, 0);
  const model::ReplicateState state = model::build_population(m);
  REQUIRE(state.network.offsets.size() == 1001);
  CHECK(state.network.targets.size() == 6);
  const auto of_1 = state.network.neighbours(1);
  CHECK(std::vector<std::uint32_t>(of_1.begin(), of_1.end()) == std::vector<std::uint32_t>{0, 2});
  CHECK(state.network.neighbours(4).empty());
}

TEST_CASE("loader: a bad edge list is reported line by line", "[loader][network]") {
  TempDir dir("bad_edges");
  dir.write("ties.csv", "0,1\n5,5\n1,0\n0,x\n0,99999\n0,1,2\n");
  const std::string shown = (dir.path() / "ties.csv").lexically_normal().generic_string();
  const std::vector<std::string> lines =
      diagnostics_of_file(dir, with_network("  model: edge_list\n  edge_list: ties.csv\n"));
  const std::vector<std::string> expected = {
      shown + ":2:1: network.edge_list: tie 5-5 is a self-loop; expected two different people",
      shown +
          ":3:1: network.edge_list: tie 1-0 repeats line 1; expected each tie once (ties "
          "are undirected)",
      shown +
          ":4:3: network.edge_list: \"x\" is not a person index; expected an integer in "
          "[0, 999]",
      shown +
          ":5:3: network.edge_list: person 99999 is unknown; expected an index in [0, 999] "
          "(market.people / simulation.agent_scale people)",
      shown +
          ":6:1: network.edge_list: 3 fields; expected two person indices separated by a "
          "comma, tab or spaces",
  };
  CHECK(lines == expected);
}

TEST_CASE("loader: network parameters that cannot build a graph are refused", "[loader][network]") {
  TempDir dir("net_rules");
  const std::string file = (dir.path() / "s.yaml").string();
  CHECK(diagnostics_of_file(dir, with_network("  model: edge_list\n  edge_list: none.csv\n")) ==
        std::vector<std::string>{file + ":10:14: network.edge_list: cannot read " +
                                 (dir.path() / "none.csv").lexically_normal().generic_string() +
                                 ": No such file or directory; expected a CSV or TSV file of "
                                 "person-index pairs, relative to the scenario "
                                 "file's folder"});
  CHECK(diagnostics_of_file(dir, with_network("  model: small_world\n  mean_degree: 5\n")) ==
        std::vector<std::string>{file +
                                 ":10:16: network.mean_degree: 5 is not an even integer below "
                                 "the simulated people (1000); expected a ring lattice degree "
                                 "such as 10"});
  CHECK(diagnostics_of_file(dir, with_network("  model: erdos_renyi\n  mean_degree: 1000\n")) ==
        std::vector<std::string>{file +
                                 ":10:16: network.mean_degree: 1000 is above the simulated people "
                                 "minus one (999); expected at most 999"});
  CHECK(diagnostics_of_file(dir, with_network("  model: edge_list\n")) ==
        std::vector<std::string>{
            file + ":9:3: network: model edge_list without a file; expected network.edge_list: "
                   "a path"});
  CHECK(diagnostics_of_file(dir, with_network("  model: lattice\n")).size() == 1);
}
