// `flywheel calibrate --shard k/N` and `--fold` (docs/calibrate.md#on-slurm): a calibration run as
// separate processes, one shard file per shard and generation, folded generation by generation,
// writes the bytes of one process for 2 and 3 shards (the shards of 3 started at once, on a new
// folder too); a killed shard, a deleted shard file and a plain run finishing a sharded
// generation change nothing; a stop by max_attempts folds alike. Refused: a bad k/N, more shards
// than particles, two layouts in one generation, another calibration's shard files, a damaged
// one; --fold with shard files missing exits 4 and names them.
#include "calibrate_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using flywheel::test::CliResult;
using flywheel::test::read_text;
using flywheel::test::run_cli_in;
using flywheel::test::TempDir;
namespace fs = std::filesystem;
using namespace flywheel::test::calibrate;

namespace {

// A smaller budget than kQuickBody: many processes per test.
const std::string kShardBody = quick_body_with("budget: {particles: 60, generations: 4}",
                                               "budget: {particles: 20, generations: 3}");

CliResult shard(const TempDir& dir, const std::string& out, int k, int n) {
  return run_cli_in(dir.path(), fmt::format("calibrate spec.yaml --out {} --shard {}/{} --threads 1 "
                                            "--quiet",
                                            out, k, n));
}

CliResult shard_arg(const TempDir& dir, const std::string& arg) {
  return run_cli_in(dir.path(), "calibrate spec.yaml --out s --quiet --shard " + arg);
}

CliResult fold(const TempDir& dir, const std::string& out) {
  return run_cli_in(dir.path(), "calibrate spec.yaml --out " + out + " --fold --quiet");
}

// Starts shards 1..n of the next generation at once (background processes); true when all
// exited 0.
bool shards_at_once(const TempDir& dir, const std::string& out, int n) {
  std::string script = "cd '" + dir.path().string() + "' || exit 1;";
  for (int k = 1; k <= n; ++k) {
    script += fmt::format(" ('{}' calibrate spec.yaml --out {} --shard {}/{} --threads 1 --quiet "
                          ">/dev/null 2>{}.shard{}.err; echo $? > {}.shard{}.code) &",
                          FLYWHEEL_CLI, out, k, n, out, k, out, k);
  }
  script += " wait";
  if (std::system(script.c_str()) != 0) return false;
  for (int k = 1; k <= n; ++k) {
    const std::string code = read_text(dir / fmt::format("{}.shard{}.code", out, k));
    if (code != "0\n") {
      UNSCOPED_INFO("shard " << k << "/" << n << ": exit " << code
                             << read_text(dir / fmt::format("{}.shard{}.err", out, k)));
      return false;
    }
  }
  return true;
}

// Shards then a fold, generation after generation, until the fold says the calibration is
// finished. Returns the number of folds.
int run_sharded(const TempDir& dir, const std::string& out, int n, bool at_once) {
  for (int round = 1; round <= 20; ++round) {
    if (at_once) {
      REQUIRE(shards_at_once(dir, out, n));
    } else {
      for (int k = 1; k <= n; ++k) {
        const CliResult r = shard(dir, out, k, n);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
      }
    }
    const CliResult f = fold(dir, out);
    INFO(f.out << f.err);
    REQUIRE(f.code == 0);
    if (f.out.starts_with("finished: ")) return round;
    REQUIRE(f.out.find(fmt::format("next: generation {}", round)) != std::string::npos);
  }
  FAIL("the sharded calibration did not finish in 20 rounds");
  return 0;
}

bool has_shard_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir / "generations")) {
    if (e.path().filename().string().find(".shard-") != std::string::npos) return true;
  }
  return false;
}

void check_same_outputs(const TempDir& dir, const std::string& a, const std::string& b) {
  for (const std::string& f : kOutputs) {
    INFO(a << " vs " << b << ": " << f);
    CHECK(read_text(dir / (a + "/" + f)) == read_text(dir / (b + "/" + f)));
  }
}

}  // namespace

TEST_CASE("calibrate: 2 and 3 shards folded per generation write one process's bytes",
          "[calibrate][cli]") {
  const TempDir dir("calibrate_shards");
  write_calibration(dir, quick_data(), kShardBody);
  const CliResult one = run_cli_in(dir.path(), "calibrate spec.yaml --out one --quiet");
  INFO(one.out << one.err);
  REQUIRE(one.code == 0);
  CHECK(run_sharded(dir, "s2", 2, false) == 4);  // generations 0..3
  CHECK(run_sharded(dir, "s3", 3, true) == 4);   // every generation's shards started at once
  check_same_outputs(dir, "one", "s2");
  check_same_outputs(dir, "one", "s3");
  CHECK(fs::exists(dir / "s3/report.html"));
  CHECK_FALSE(has_shard_files(dir / "s2"));
  CHECK_FALSE(has_shard_files(dir / "s3"));
  // Once finished, a shard has nothing to do and a fold rewrites the same bytes.
  const CliResult late = shard(dir, "s3", 2, 3);
  CHECK(late.code == 0);
  CHECK(late.out.starts_with("finished: the calibration stopped by generations"));
  const CliResult again = fold(dir, "s3");
  CHECK(again.code == 0);
  CHECK(again.out.starts_with("finished: 4 generations"));
  check_same_outputs(dir, "one", "s3");
}

TEST_CASE("calibrate: a killed shard, a deleted shard file and a plain run finishing a "
          "sharded generation write one process's bytes",
          "[calibrate][cli]") {
  const TempDir dir("calibrate_shards_resume");
  write_calibration(dir, quick_data(), kShardBody);
  REQUIRE(run_cli_in(dir.path(), "calibrate spec.yaml --out one --quiet").code == 0);
  // Generation 0 in three shards.
  for (int k = 1; k <= 3; ++k) REQUIRE(shard(dir, "s", k, 3).code == 0);
  REQUIRE(fold(dir, "s").code == 0);
  // Generation 1: shard 1 killed by kill -9 as it starts, then run again; shards 2 and 3.
  const std::string script = fmt::format(
      "cd '{}' && ('{}' calibrate spec.yaml --out s --shard 1/3 --quiet >/dev/null 2>&1 & "
      "pid=$!; sleep 0.05; kill -9 $pid 2>/dev/null; wait $pid; true) 2>/dev/null",
      dir.path().string(), FLYWHEEL_CLI);
  REQUIRE(std::system(script.c_str()) == 0);
  for (int k = 1; k <= 3; ++k) REQUIRE(shard(dir, "s", k, 3).code == 0);
  const CliResult twice = shard(dir, "s", 3, 3);
  CHECK(twice.code == 0);
  CHECK(twice.out.find("shard 3/3 of generation 1: done before") != std::string::npos);
  // Shard 2's file lost: the fold says which file is missing, folds nothing, exits 4.
  fs::remove(dir / "s/generations/gen-0001.shard-2-of-3.json");
  const CliResult missing = fold(dir, "s");
  CHECK(missing.code == 4);
  CHECK(missing.err.find("generation 1: 1 of its 3 shard files are missing") != std::string::npos);
  CHECK(missing.err.find("gen-0001.shard-2-of-3.json") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "s/generations/gen-0001.json"));
  REQUIRE(shard(dir, "s", 2, 3).code == 0);
  REQUIRE(fold(dir, "s").code == 0);
  // Generation 2: shards 1 and 3 only; a plain run computes shard 2's particles and finishes.
  REQUIRE(shard(dir, "s", 1, 3).code == 0);
  REQUIRE(shard(dir, "s", 3, 3).code == 0);
  const CliResult plain = run_cli_in(dir.path(), "calibrate spec.yaml --out s --quiet");
  INFO(plain.out << plain.err);
  REQUIRE(plain.code == 0);
  CHECK(plain.out.find("resumed at 2") != std::string::npos);
  check_same_outputs(dir, "one", "s");
  CHECK_FALSE(has_shard_files(dir / "s"));
}

TEST_CASE("calibrate: a stop by max_attempts folds as one process stops", "[calibrate][cli]") {
  // One attempt per particle: generation 1 has particles with none accepted.
  const TempDir dir("calibrate_shards_attempts");
  write_calibration(dir, quick_data(),
                    quick_body_with("budget: {particles: 60, generations: 4}",
                                    "budget: {particles: 20, generations: 3, max_attempts: 1}"));
  const CliResult one = run_cli_in(dir.path(), "calibrate spec.yaml --out one --quiet");
  REQUIRE(one.code == 0);
  REQUIRE(one.out.find("stopped by max_attempts") != std::string::npos);
  CHECK(run_sharded(dir, "s", 2, false) == 2);
  check_same_outputs(dir, "one", "s");
  // The generation that ran out of attempts keeps its shard files: nothing is computed again.
  CHECK(has_shard_files(dir / "s"));
  const CliResult again = fold(dir, "s");
  CHECK(again.out.starts_with("finished: 1 generations"));
  CHECK(again.out.find("stopped by max_attempts") != std::string::npos);
}

TEST_CASE("calibrate: --shard and --fold refuse what does not belong together",
          "[calibrate][cli]") {
  const TempDir dir("calibrate_shards_refused");
  write_calibration(dir, quick_data(), kShardBody);
  for (const std::string bad : {"0/2", "3/2", "1/0", "x", "1/2/3", "2"}) {
    const CliResult r = shard_arg(dir, bad);
    INFO(bad << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("is not a shard; expected k/N with 1 <= k <= N") != std::string::npos);
  }
  const CliResult many = run_cli_in(dir.path(), "calibrate spec.yaml --out s --shard 1/21");
  CHECK(many.code == 2);
  CHECK(many.err.find("more shards than the 20 particles") != std::string::npos);
  const CliResult both = run_cli_in(dir.path(), "calibrate spec.yaml --out s --shard 1/2 --fold");
  CHECK(both.code == 2);
  // Nothing to fold yet: exit 4, not 2.
  const CliResult empty = fold(dir, "s");
  CHECK(empty.code == 4);
  CHECK(empty.err.find("generation 0 has no shard files") != std::string::npos);
  // Another layout for a generation that has shard files of 2.
  REQUIRE(shard(dir, "s", 1, 2).code == 0);
  const CliResult mixed = shard(dir, "s", 2, 3);
  CHECK(mixed.code == 2);
  CHECK(mixed.err.find("generation 0 already has shard files of 2 shards") != std::string::npos);
  fs::copy_file(dir / "s/generations/gen-0000.shard-1-of-2.json",
                dir / "s/generations/gen-0000.shard-1-of-3.json");
  for (const std::string how : {"--fold", ""}) {
    const CliResult r = run_cli_in(dir.path(), "calibrate spec.yaml --out s --quiet " + how);
    INFO(how << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("generation 0 has shard files of different layouts") != std::string::npos);
  }
  fs::remove(dir / "s/generations/gen-0000.shard-1-of-3.json");
  // Another calibration's shard file (another seed: another spec hash).
  std::string other = kShardBody;
  other.replace(other.find("seed: 3"), 7, "seed: 4");
  dir.write("other.yaml", "base: tiny.yaml\ndata: data.csv\n" + other);
  REQUIRE(run_cli_in(dir.path(), "calibrate other.yaml --out o --shard 2/2 --quiet").code == 0);
  fs::copy_file(dir / "o/generations/gen-0000.shard-2-of-2.json",
                dir / "s/generations/gen-0000.shard-2-of-2.json");
  const CliResult foreign = fold(dir, "s");
  CHECK(foreign.code == 2);
  CHECK(foreign.err.find("gen-0000.shard-2-of-2.json: spec_hash: belongs to another calibration") !=
        std::string::npos);
  // A damaged one.
  flywheel::test::write_text(dir / "s/generations/gen-0000.shard-2-of-2.json", "{\"format\": 1,");
  const CliResult damaged = fold(dir, "s");
  CHECK(damaged.code == 2);
  CHECK(damaged.err.find("is not a calibration shard file") != std::string::npos);
  fs::remove(dir / "s/generations/gen-0000.shard-2-of-2.json");
  REQUIRE(shard(dir, "s", 2, 2).code == 0);
  CHECK(fold(dir, "s").code == 0);
#ifdef FLYWHEEL_MPIEXEC
  const CliResult mpi = run_cli_in(dir.path(), "calibrate spec.yaml --out s --shard 1/2 --quiet",
                                   flywheel::test::mpi_prefix(2));
  CHECK(mpi.code == 2);
  CHECK(mpi.err.find("not under mpirun") != std::string::npos);
#endif
}
