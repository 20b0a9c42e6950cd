// Replays a fuzz corpus through the fuzz targets' entry functions (fuzz_entry.hpp) with the
// ordinary compiler, for ctest: each file runs in a child process, which must end normally (no
// crash, no exception other than InputError), within --max-seconds of CPU time (user + system:
// a loaded CI machine does not make it fail; a hang that does not spin is cut off after 20 s of
// wall time) and with its peak resident memory no more than --max-rss-mb above this process's.
//   replay_corpus scenario|sweep [--max-seconds S] [--max-rss-mb M] DIR_OR_FILE...
#include "fuzz_entry.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Entry = void (*)(const std::uint8_t*, std::size_t);

// A hang is cut off here (wall time); anything over --max-seconds of CPU already fails.
constexpr unsigned kKillAfterSeconds = 20;

// Under ASan + UBSan (the asan-ubsan preset, -O1) the loader runs several times slower and
// holds freed memory in quarantine: the limits given are scaled by these.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSanitizerTimeFactor = 5;
constexpr long kSanitizerMemoryFactor = 2;
#else
constexpr double kSanitizerTimeFactor = 1;
constexpr long kSanitizerMemoryFactor = 1;
#endif

struct Limits {
  double max_seconds = 1.0;
  long max_rss_growth_kb = 512L * 1024;
};

struct Outcome {
  std::string problem;  // empty when the input passed
  double seconds = 0;   // CPU time, user + system
  long rss_growth_kb = 0;
};

std::vector<fs::path> corpus_files(const std::vector<std::string>& roots) {
  std::vector<fs::path> files;
  for (const std::string& root : roots) {
    if (fs::is_regular_file(root)) {
      files.emplace_back(root);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// In the child: feeds the file to the entry; exit code 0 when it returned.
[[noreturn]] void replay_in_child(Entry entry, const fs::path& file) {
  ::alarm(kKillAfterSeconds);
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: threw %s\n", file.c_str(), e.what());
    std::fflush(stderr);
    ::_exit(3);
  }
  ::_exit(0);
}

Outcome replay(Entry entry, const fs::path& file, const Limits& limits) {
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return {std::string("fork failed: ") + std::strerror(errno)};
  if (pid == 0) replay_in_child(entry, file);
  int status = 0;
  rusage child{};
  while (::wait4(pid, &status, 0, &child) < 0 && errno == EINTR) {
  }
  Outcome out;
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6;
  };
  out.seconds = seconds(child.ru_utime) + seconds(child.ru_stime);
  out.rss_growth_kb = child.ru_maxrss - self.ru_maxrss;
  if (WIFSIGNALED(status)) {
    out.problem = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                  strsignal(WTERMSIG(status)) + ")";
  } else if (WEXITSTATUS(status) != 0) {
    out.problem = "exit code " + std::to_string(WEXITSTATUS(status));
  } else if (out.seconds > limits.max_seconds) {
    out.problem = "took " + std::to_string(out.seconds) + " s of CPU; expected at most " +
                  std::to_string(limits.max_seconds) + " s";
  } else if (out.rss_growth_kb > limits.max_rss_growth_kb) {
    out.problem = "peak memory grew by " + std::to_string(out.rss_growth_kb / 1024) +
                  " MB; expected at most " + std::to_string(limits.max_rss_growth_kb / 1024) +
                  " MB";
  }
  return out;
}

int usage() {
  std::fprintf(stderr,
               "usage: replay_corpus scenario|sweep [--max-seconds S] [--max-rss-mb M] "
               "DIR_OR_FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string mode = argv[1];
  Entry entry = nullptr;
  if (mode == "scenario") entry = &flywheel::fuzz::load_scenario_input;
  if (mode == "sweep") entry = &flywheel::fuzz::load_sweep_spec_input;
  if (entry == nullptr) return usage();
  Limits limits;
  std::vector<std::string> roots;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--max-seconds" && i + 1 < argc) {
      limits.max_seconds = std::atof(argv[++i]);
    } else if (arg == "--max-rss-mb" && i + 1 < argc) {
      limits.max_rss_growth_kb = std::atol(argv[++i]) * 1024;
    } else {
      roots.push_back(arg);
    }
  }
  limits.max_seconds *= kSanitizerTimeFactor;
  limits.max_rss_growth_kb *= kSanitizerMemoryFactor;
  const std::vector<fs::path> files = corpus_files(roots);
  if (files.empty()) {
    std::fprintf(stderr, "replay_corpus: no input files\n");
    return 1;
  }
  flywheel::fuzz::make_scratch_folder();  // before any fork: removed once, at this process's exit
  int failed = 0;
  Outcome slowest, largest;
  fs::path slowest_file, largest_file;
  for (const fs::path& file : files) {
    const Outcome out = replay(entry, file, limits);
    if (!out.problem.empty()) {
      ++failed;
      std::fprintf(stderr, "FAIL %s: %s\n", file.c_str(), out.problem.c_str());
    }
    if (out.seconds >= slowest.seconds) slowest = out, slowest_file = file;
    if (out.rss_growth_kb >= largest.rss_growth_kb) largest = out, largest_file = file;
  }
  std::printf(
      "replayed %zu %s inputs, %d failed; slowest %.3f s of CPU (%s), largest memory growth "
      "%ld MB (%s)\n",
      files.size(), mode.c_str(), failed, slowest.seconds, slowest_file.c_str(),
      largest.rss_growth_kb / 1024, largest_file.c_str());
  return failed == 0 ? 0 : 1;
}
