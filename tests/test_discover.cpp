// Scenario discovery: PRIM recovers a known box from noisy synthetic cases (and leaves the
// irrelevant dimensions free), and `flywheel discover` runs over a sweep folder end to end.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <flywheel/experiments/outcome_condition.hpp>
#include <flywheel/experiments/prim.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using flywheel::test::CliWorkspace;
using flywheel::test::contains;
using flywheel::test::read_text;
namespace fs = std::filesystem;

namespace {

// n uniform cases in [0,1]^4; y = 1 inside [0.2, 0.6] x [0.5, 1] on dimensions 0 and 1, with
// 5% of the labels flipped.
void synthetic(int n, std::vector<std::vector<double>>& x, std::vector<double>& y) {
  std::mt19937_64 rng(20261204);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    std::vector<double> xi(4);
    for (double& v : xi) v = u(rng);
    bool in = xi[0] >= 0.2 && xi[0] <= 0.6 && xi[1] >= 0.5;
    if (u(rng) < 0.05) in = !in;
    x.push_back(xi);
    y.push_back(in ? 1.0 : 0.0);
  }
}

}  // namespace

TEST_CASE("prim: recovers a known box and leaves the irrelevant dimensions free", "[discover]") {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  synthetic(2000, x, y);
  flywheel::PrimOptions options;
  options.threshold = 0.9;
  const flywheel::PrimResult r = flywheel::prim(x, y, options);
  REQUIRE(r.trajectory.size() > 10);
  const flywheel::PrimBox& b = r.pasted;
  CHECK(b.lo[0] == Approx(0.2).margin(0.05));
  CHECK(b.hi[0] == Approx(0.6).margin(0.05));
  CHECK(b.lo[1] == Approx(0.5).margin(0.05));
  CHECK(b.hi[1] == r.data_hi[1]);  // the box runs to the top of dimension 1
  for (int d : {2, 3}) {
    CHECK(b.lo[d] == r.data_lo[d]);
    CHECK(b.hi[d] == r.data_hi[d]);
    CHECK(std::isnan(b.quasi_p[d]));
  }
  CHECK(b.restricted == 2);
  CHECK(b.quasi_p[0] < 1e-6);
  CHECK(b.quasi_p[1] < 1e-6);
  CHECK(b.density > 0.9);
  CHECK(b.coverage > 0.8);
  // Coverage only falls and density (mostly) rises along the trajectory; it starts at coverage 1.
  CHECK(r.trajectory.front().coverage == Approx(1.0));
  for (std::size_t k = 1; k < r.trajectory.size(); ++k)
    CHECK(r.trajectory[k].coverage <= r.trajectory[k - 1].coverage + 1e-12);
}

TEST_CASE("prim: choose_box takes the widest box dense enough, else the densest",
          "[discover]") {
  std::vector<flywheel::PrimBox> t(3);
  t[0].coverage = 1.0, t[0].density = 0.3;
  t[1].coverage = 0.8, t[1].density = 0.85;
  t[2].coverage = 0.5, t[2].density = 0.95;
  std::string why;
  CHECK(flywheel::choose_box(t, 0.8, why) == 1);
  CHECK(flywheel::choose_box(t, 0.9, why) == 2);
  CHECK(flywheel::choose_box(t, 0.99, why) == 2);
  CHECK(contains(why, "densest"));
}

TEST_CASE("discover: outcome conditions parse and refuse what they cannot read", "[discover]") {
  std::string problem;
  const auto c = flywheel::parse_outcome_condition("arr_usd@36 < 5e6", problem);
  REQUIRE(c);
  CHECK(c->output.name == "arr_usd@36");
  CHECK(c->value == 5e6);
  CHECK(c->holds(4e6));
  CHECK_FALSE(c->holds(NAN));
  const auto ge = flywheel::parse_outcome_condition("cash_usd@min:1-24>=0", problem);
  REQUIRE(ge);
  CHECK(ge->op == flywheel::OutcomeCondition::Op::greater_equal);
  CHECK(ge->holds(0.0));
  CHECK_FALSE(flywheel::parse_outcome_condition("arr_usd@36", problem));
  CHECK(contains(problem, "has no comparison"));
  CHECK_FALSE(flywheel::parse_outcome_condition("arr@36 < 5", problem));
  CHECK(contains(problem, "names no metric"));
  CHECK_FALSE(flywheel::parse_outcome_condition("arr_usd@36 < lots", problem));
  CHECK(contains(problem, "is not a finite number"));
}

TEST_CASE("discover: the CLI over a sweep folder writes tidy files and a report section",
          "[discover][sweep]") {
  const CliWorkspace ws("discover_cli");
  ws.write("ishigami.yaml",
           "model: ishigami\nreplicates: 1\ndesign: {method: lhs, samples: 400, seed: 5}\n"
           "uncertainties:\n"
           "  x1: {range: [-3.141592653589793, 3.141592653589793]}\n"
           "  x2: {range: [-3.141592653589793, 3.141592653589793]}\n"
           "  x3: {range: [-3.141592653589793, 3.141592653589793]}\n"
           "outputs: [y]\n");
  REQUIRE(ws.run("sweep ishigami.yaml --out s --quiet").code == 0);
  // y < 0 needs sin x1 < 0: PRIM restricts x1 to (about) its negative half.
  const auto r = ws.run("discover s --target 'y < 0'");
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "x1"));
  const std::string boxes = read_text(ws.work() / "s" / "discover_boxes.csv");
  CHECK(contains(boxes, "policy,box,coverage,density,mass,parameter,lo,hi,restricted,quasi_p\n"));
  CHECK(contains(read_text(ws.work() / "s" / "discover_trajectory.csv"),
                 "policy,step,coverage,density,mass,cases,restricted,chosen\n"));
  CHECK(contains(read_text(ws.work() / "s" / "report.html"), "Scenario discovery"));
  const auto bad = ws.run("discover s --target 'arr_usd@36 < 5e6'");
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "--target: arr_usd@36 is not an output of this sweep; expected one of y"));
  const auto malformed = ws.run("discover s --target 'y'");
  CHECK(malformed.code == 2);
  CHECK(contains(malformed.err, "has no comparison"));
  const auto nowhere = ws.run("discover nowhere --target 'y < 0'");
  CHECK(nowhere.code == 2);
  CHECK(contains(nowhere.err, "is not a sweep folder"));
}

TEST_CASE("discover: one analysis per policy of a sweep with levers", "[discover][sweep]") {
  const CliWorkspace ws("discover_policies");
  ws.write("base.yaml",
           read_text(fs::path(FLYWHEEL_SOURCE_DIR) / "tests/bad-input/support/base.yaml"));
  ws.write("pol.yaml",
           "base: base.yaml\nreplicates: 2\ndesign: {method: lhs, samples: 30, seed: 2}\n"
           "levers:\n  strategy.marketing.spend_usd_per_month: {values: [0, 10000]}\n"
           "uncertainties:\n  funnel.activation_per_month: {range: [0.2, 0.8]}\n"
           "  funnel.churn_per_month.regular: {range: [0.01, 0.05]}\n"
           "outputs: [arr_usd@12]\n");
  REQUIRE(ws.run("sweep pol.yaml --out s --quiet").code == 0);
  const auto r = ws.run("discover s --target 'arr_usd@12 < 39000' --no-report");
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Without marketing, a low activation rate is what keeps ARR low; with $10,000 a month, ARR
  // never stays that low, and no box is found.
  CHECK(contains(r.out, "policy 0 (strategy.marketing.spend_usd_per_month=0)"));
  CHECK(contains(r.out, "policy 1 (strategy.marketing.spend_usd_per_month=10000)"));
  CHECK(contains(r.out, "no box: the target holds in none of the scenarios"));
  const std::string boxes = read_text(ws.work() / "s" / "discover_boxes.csv");
  CHECK(contains(boxes, ",funnel.activation_per_month,"));
  std::size_t lines = 0;
  for (char ch : boxes) lines += ch == '\n' ? 1 : 0;
  CHECK(lines == 1 + 2 * 2);
  const std::string json = read_text(ws.work() / "s" / "discover.json");
  CHECK(contains(json, "\"parameter\": \"funnel.activation_per_month\""));
}
