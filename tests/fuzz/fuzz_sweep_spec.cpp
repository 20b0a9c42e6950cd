// libFuzzer target: arbitrary bytes as a sweep spec (build with -DFLYWHEEL_FUZZ=ON, clang).
#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  flywheel::fuzz::load_sweep_spec_input(data, size);
  return 0;
}
