// `flywheel sensitivity` end to end on Ishigami's function through the test-only model hook:
// the Sobol indices from the CLI contain the analytic values in their bootstrap intervals, and
// analysing a folder run by `flywheel sweep` gives the same indices (the cluster route).
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>

using flywheel::test::CliWorkspace;
using flywheel::test::contains;
using flywheel::test::read_text;
namespace fs = std::filesystem;

namespace {

std::string ishigami_spec(const std::string& method, int samples) {
  return "model: ishigami\nreplicates: 1\ndesign: {method: " + method +
         ", samples: " + std::to_string(samples) +
         ", bootstrap: 500, seed: 3}\nuncertainties:\n"
         "  x1: {range: [-3.141592653589793, 3.141592653589793]}\n"
         "  x2: {range: [-3.141592653589793, 3.141592653589793]}\n"
         "  x3: {range: [-3.141592653589793, 3.141592653589793]}\n"
         "outputs: [y]\n";
}

struct Estimate {
  double estimate = NAN, lo = NAN, hi = NAN;
};

// sensitivity.csv -> (parameter, index) -> estimate and interval, for policy 0.
std::map<std::pair<std::string, std::string>, Estimate> read_indices(const fs::path& file) {
  std::map<std::pair<std::string, std::string>, Estimate> out;
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "policy,output,parameter,index,estimate,lo,hi");
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream cells(line);
    while (std::getline(cells, cell, ',')) f.push_back(cell);
    while (f.size() < 7) f.emplace_back();
    const auto number = [](const std::string& t) { return t.empty() ? NAN : std::stod(t); };
    out[{f[2], f[3]}] = {number(f[4]), number(f[5]), number(f[6])};
  }
  return out;
}

}  // namespace

TEST_CASE("sensitivity: Ishigami's Sobol indices lie within the CLI's bootstrap intervals",
          "[sensitivity][sweep]") {
  const CliWorkspace ws("sensitivity");
  ws.write("ishigami.yaml", ishigami_spec("saltelli", 512));
  const auto run = ws.run("sensitivity ishigami.yaml --out s --quiet");
  INFO(run.err);
  REQUIRE(run.code == 0);
  const auto indices = read_indices(ws.work() / "s" / "sensitivity.csv");
  // Analytic values for a = 7, b = 0.1 (Ishigami & Homma 1990; Saltelli et al. 2008, 4.2).
  const std::map<std::string, std::pair<double, double>> truth = {
      {"x1", {0.3139, 0.5576}}, {"x2", {0.4424, 0.4424}}, {"x3", {0.0, 0.2437}}};
  for (const auto& [x, s] : truth) {
    const Estimate s1 = indices.at({x, "S1"});
    const Estimate st = indices.at({x, "ST"});
    INFO(x << " S1 " << s1.estimate << " [" << s1.lo << ", " << s1.hi << "] ST " << st.estimate
           << " [" << st.lo << ", " << st.hi << "]");
    CHECK(s1.lo <= s.first);
    CHECK(s.first <= s1.hi);
    CHECK(st.lo <= s.second);
    CHECK(s.second <= st.hi);
    CHECK(std::abs(st.estimate - s.second) < 0.1);
  }
  CHECK(fs::exists(ws.work() / "s" / "sensitivity.json"));
  CHECK(contains(run.out, "x3"));

  // The cluster route: the same spec as a plain sweep, analysed afterwards, gives the same file.
  REQUIRE(ws.run("sweep ishigami.yaml --out plain --quiet").code == 0);
  REQUIRE(ws.run("sensitivity --analyse plain").code == 0);
  CHECK(read_text(ws.work() / "plain" / "sensitivity.csv") ==
        read_text(ws.work() / "s" / "sensitivity.csv"));
}

TEST_CASE("sensitivity: Morris ranks Ishigami's inputs and flags x3's interaction",
          "[sensitivity][sweep]") {
  const CliWorkspace ws("morris");
  ws.write("ishigami.yaml", ishigami_spec("morris", 60));
  const auto run = ws.run("sensitivity ishigami.yaml --out m --quiet");
  INFO(run.err);
  REQUIRE(run.code == 0);
  const auto indices = read_indices(ws.work() / "m" / "sensitivity.csv");
  for (const char* x : {"x1", "x2", "x3"}) CHECK(indices.at({x, "mu_star"}).estimate > 0.5);
  // x3 acts only through b x3^4 sin x1: its effects change sign with x1, so mu is near 0
  // while sigma is large.
  CHECK(std::abs(indices.at({"x3", "mu"}).estimate) < indices.at({"x3", "sigma"}).estimate);
}

TEST_CASE("sensitivity: refuses designs without an analysis and folders that are not sweeps",
          "[sensitivity][sweep]") {
  const CliWorkspace ws("sensitivity_bad");
  ws.write("lhs.yaml", ishigami_spec("lhs", 16));
  const auto lhs = ws.run("sensitivity lhs.yaml --out x");
  CHECK(lhs.code == 2);
  CHECK(contains(lhs.err, "lhs has no sensitivity analysis; expected saltelli or morris"));
  CHECK(!fs::exists(ws.work() / "x"));
  const auto nothing = ws.run("sensitivity --analyse nowhere");
  CHECK(nothing.code == 2);
  CHECK(contains(nothing.err, "is not a sweep folder"));
  const auto both = ws.run("sensitivity");
  CHECK(both.code == 2);
}
