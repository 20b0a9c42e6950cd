// `flywheel calibrate` run whole (docs/calibrate.md): byte-identical results for 1 and 2 threads,
// after a kill -9 and resume, and under mpirun at 2 and 3 ranks; budget.min_acceptance.
#include "calibrate_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

using flywheel::test::read_text;
using flywheel::test::TempDir;
namespace fs = std::filesystem;
using namespace flywheel;
using namespace flywheel::test::calibrate;

TEST_CASE("calibrate: 1 and 2 threads write the same bytes", "[calibrate][cli]") {
  const TempDir dir("calibrate_threads");
  write_calibration(dir, quick_data(), kQuickBody);
  const auto one = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out a --threads 1 --quiet");
  REQUIRE(one.code == 0);
  const auto two = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out b --threads 2 --quiet");
  REQUIRE(two.code == 0);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("a/" + f)) == read_text(dir / ("b/" + f)));
  }
  // The posterior is narrower than the prior and holds the truth.
  const Posterior p = last_generation(dir / "a/posterior.csv");
  const double lo = posterior_quantile(p, 1, 0.05), hi = posterior_quantile(p, 1, 0.95);
  CHECK(lo <= 0.3);
  CHECK(hi >= 0.3);
  CHECK(hi - lo < 0.6 * (0.6 - 0.1));
}

TEST_CASE("calibrate: a run killed by kill -9 resumes and writes the same bytes",
          "[calibrate][cli]") {
  const TempDir dir("calibrate_resume");
  std::string body = kQuickBody;
  body.replace(body.find("generations: 4"), 14, "generations: 6");
  write_calibration(dir, quick_data(), body);
  const auto whole = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out whole --quiet");
  REQUIRE(whole.code == 0);
  // Start, wait for generation 2 to be published, kill -9 mid-calibration.
  const std::string script = fmt::format(
      "cd '{}' && ('{}' calibrate spec.yaml --out cut --quiet >/dev/null 2>&1 & pid=$!; "
      "while kill -0 $pid 2>/dev/null && [ ! -f cut/generations/gen-0002.json ]; do sleep 0.005; "
      "done; kill -9 $pid 2>/dev/null; wait $pid; true)",
      dir.path().string(), FLYWHEEL_CLI);
  REQUIRE(std::system(script.c_str()) == 0);
  const bool interrupted = !fs::exists(dir / "cut/forecast.csv");
  INFO("interrupted before the end: " << interrupted);
  const auto again = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out cut --quiet");
  REQUIRE(again.code == 0);
  if (interrupted) CHECK(again.out.find("resumed at") != std::string::npos);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("whole/" + f)) == read_text(dir / ("cut/" + f)));
  }
  // Another spec into the same folder is refused.
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + kQuickBody + "replicates: 1\n");
  const auto other = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out cut --quiet");
  CHECK(other.code == 2);
  CHECK(other.err.find("holds another calibration") != std::string::npos);
}

TEST_CASE("calibrate: one process and mpirun -np 2 and -np 3 write the same bytes",
          "[calibrate][cli]") {
#ifdef FLYWHEEL_MPIEXEC
  const TempDir dir("calibrate_mpi");
  std::string body = kQuickBody;  // smaller: four runs, some with more ranks than cores
  body.replace(body.find("particles: 60, generations: 4"), 29, "particles: 24, generations: 3");
  write_calibration(dir, quick_data(), body);
  const auto one = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out one --quiet");
  REQUIRE(one.code == 0);
  for (int ranks : {2, 3}) {
    const std::string out = fmt::format("mpi{}", ranks);
    const auto mpi = flywheel::test::run_cli_in(
        dir.path(), "calibrate spec.yaml --out " + out + " --quiet --threads 1",
        flywheel::test::mpi_prefix(ranks));
    INFO(ranks << " ranks: " << mpi.out << mpi.err);
    REQUIRE(mpi.code == 0);
    CHECK(mpi.out.substr(0, mpi.out.find('\n')) == one.out.substr(0, one.out.find('\n')));
    for (const std::string& f : kOutputs) {
      INFO(f);
      CHECK(read_text(dir / ("one/" + f)) == read_text(dir / (out + "/" + f)));
    }
  }
  // Resuming under mpirun: rank 0 reads the folder and hands the generations to the others.
  fs::remove(dir / "mpi3/generations/gen-0002.json");
  fs::remove(dir / "mpi3/generations/gen-0003.json");
  fs::remove(dir / "mpi3/forecast.csv");
  const auto again = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out mpi3 --quiet",
                                                flywheel::test::mpi_prefix(2));
  INFO(again.out << again.err);
  REQUIRE(again.code == 0);
  CHECK(again.out.find("resumed at 2") != std::string::npos);
  for (const std::string& f : kOutputs) {
    INFO(f);
    CHECK(read_text(dir / ("one/" + f)) == read_text(dir / ("mpi3/" + f)));
  }
  // A folder of another calibration stops every rank (no rank left waiting).
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body + "replicates: 1\n");
  const auto other = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out mpi3 --quiet",
                                                flywheel::test::mpi_prefix(2));
  CHECK(other.code == 2);
  CHECK(other.err.find("holds another calibration") != std::string::npos);
#else
  WARN("built without MPI: this test is skipped");
#endif
}

TEST_CASE("calibrate: budget.min_acceptance stops a stalling schedule", "[calibrate][cli]") {
  const TempDir dir("calibrate_min_acceptance");
  std::string body = kQuickBody;
  body.replace(body.find("budget: {particles: 60, generations: 4}"), 39,
               "budget: {particles: 24, generations: 4, min_acceptance: 0.99}");
  write_calibration(dir, quick_data(), body);
  const auto run = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out a --quiet");
  INFO(run.out << run.err);
  REQUIRE(run.code == 0);
  // Generation 1 accepts fewer than 99% of its simulations: the run stops after it.
  CHECK(run.out.find("2 generations") != std::string::npos);
  CHECK(run.out.find("stopped by min_acceptance") != std::string::npos);
  // Out of range: refused at its line.
  body.replace(body.find("min_acceptance: 0.99"), 20, "min_acceptance: 1.5");
  dir.write("spec.yaml", "base: tiny.yaml\ndata: data.csv\n" + body);
  const auto bad = flywheel::test::run_cli_in(dir.path(), "calibrate spec.yaml --out b --quiet");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("budget.min_acceptance: 1.5 is not allowed") != std::string::npos);
}
