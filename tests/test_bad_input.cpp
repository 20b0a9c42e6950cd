// The bad-input corpus (tests/bad-input/, its README says how it is laid out): every scenario,
// sweep, optimize and calibration spec there is run through the real program, `flywheel validate`,
// `flywheel sweep --dry-run`, `flywheel optimize` or `flywheel calibrate --dry-run`, and must exit
// 2 with its exact expected first line on stderr, writing nothing.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <map>

using flywheel::test::read_text;
using flywheel::test::run_cli_in;
using flywheel::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(FLYWHEEL_SOURCE_DIR) / "tests" / "bad-input";
constexpr std::string_view kExpectPrefix = "# expect: ";

// The expected first line: the sidecar NAME.expected when there is one (for files that cannot
// start with a comment: empty, binary), else the file's first line after "# expect: ".
std::string expected_line(const fs::path& file) {
  fs::path sidecar = file;
  sidecar += ".expected";
  std::string text = fs::exists(sidecar) ? read_text(sidecar) : read_text(file);
  if (!fs::exists(sidecar)) {
    if (!text.starts_with(kExpectPrefix)) return "";
    text = text.substr(kExpectPrefix.size());
  }
  return text.substr(0, text.find('\n'));
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// Every file under `dir` with its size: what "nothing was written" compares.
std::map<std::string, std::uintmax_t> snapshot(const fs::path& dir) {
  std::map<std::string, std::uintmax_t> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).generic_string();
    files[name] = entry.is_regular_file() ? entry.file_size() : 0;
  }
  return files;
}

}  // namespace

TEST_CASE("bad input: every file of tests/bad-input is refused with its exact first line",
          "[cli][bad-input]") {
  // The CLI runs in a copy, so that a file written by mistake cannot land in the source tree.
  const TempDir root("bad_input");
  const fs::path work = root / "bad-input";
  fs::copy(kCorpus, work, fs::copy_options::recursive);
  const auto before = snapshot(work);
  int checked = 0;
  for (const auto& [folder, command] :
       {std::pair<std::string, std::string>{"scenarios", "validate"},
        {"sweeps", "sweep --dry-run"},
        {"optimize", "optimize"},
        {"calibrations", "calibrate --dry-run"}}) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(work / folder)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const std::string relative = folder + "/" + file.filename().string();
      const std::string expected = expected_line(kCorpus / relative);
      INFO(relative);
      REQUIRE(!expected.empty());  // every file states what it must produce
      const auto result = run_cli_in(work, command + " '" + relative + "'");
      INFO(result.err);
      CHECK(result.code == 2);
      CHECK(first_line(result.err) == expected);
      CHECK(result.out.empty());
      ++checked;
    }
  }
  CHECK(checked >= 65);
  CHECK(snapshot(work) == before);
}
