// libFuzzer target: arbitrary bytes as a scenario file (build with -DFLYWHEEL_FUZZ=ON, clang).
#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  flywheel::fuzz::load_scenario_input(data, size);
  return 0;
}
