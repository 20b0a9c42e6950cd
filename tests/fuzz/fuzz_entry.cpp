#include "fuzz_entry.hpp"

#include <flywheel/common/errors.hpp>
#include <flywheel/scenario/loader.hpp>
#include <flywheel/experiments/sweep.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace flywheel::fuzz {

namespace {

namespace fs = std::filesystem;

// The base every fuzzed sweep spec names (`base: base.yaml`); the seed corpus's copies of the
// shipped specs use its paths, market.segments[1] included.
constexpr const char* kBaseScenario = R"(name: fuzz-base
simulation: {months: 12, step: month, replicates: 2, seed: 1}
market:
  people: 1000
  segments:
    - {name: smb, share: 0.7, price_usd_per_seat_month: 10}
    - {name: mid, share: 0.3, price_usd_per_seat_month: 20, sales: {sql_to_won: 0.3}}
acquisition: {innovation_p_per_month: 0.03, imitation_q_per_month: 0.4}
funnel: {signup_per_month: 0.4, activation_per_month: 0.5, churn_per_month: {regular: 0.02}}
strategy:
  plg: {pql_min_active_users: 1, pql_conversion_per_month: 0.3}
  slg: {reps: 2}
  marketing: {spend_usd_per_month: 5000, cost_per_aware_usd: 2}
)";

// A scratch folder made once per process and removed at exit: fuzz inputs resolve relative
// paths from here, not from wherever the fuzzer was started.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "flywheel-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    std::ofstream(dir_ / "base.yaml", std::ios::binary) << kBaseScenario;
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string dir() const { return dir_.string(); }

 private:
  fs::path dir_;
};

const Scratch& scratch() {
  static const Scratch folder;  // the fuzzer's process-wide set-up, not model state
  return folder;
}

std::string text_of(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

void make_scratch_folder() { scratch(); }

void load_scenario_input(const std::uint8_t* data, std::size_t size) {
  try {
    load_scenario_text(text_of(data, size), "fuzz.yaml", {}, scratch().dir());
  } catch (const InputError&) {
    // Refused with diagnostics: the expected outcome for most inputs.
  }
}

void load_sweep_spec_input(const std::uint8_t* data, std::size_t size) {
  try {
    load_sweep_spec_text(text_of(data, size), "fuzz-spec.yaml", scratch().dir());
  } catch (const InputError&) {
  }
}

}  // namespace flywheel::fuzz
