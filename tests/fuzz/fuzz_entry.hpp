// One fuzz input fed to a loader, shared by the libFuzzer targets (fuzz_scenario.cpp,
// fuzz_sweep_spec.cpp) and the corpus replay run by ctest (replay_corpus.cpp), so the replay
// exercises exactly the code that was fuzzed. InputError is the accepted outcome of bad input;
// anything else thrown escapes, and is a finding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace flywheel::fuzz {

// The bytes as a scenario file (load_scenario_text), `extends:` resolved from a scratch folder.
void load_scenario_input(const std::uint8_t* data, std::size_t size);

// The bytes as a sweep spec (load_sweep_spec_text), its `base:` resolved from a scratch folder
// that holds base.yaml, a small valid scenario with two segments.
void load_sweep_spec_input(const std::uint8_t* data, std::size_t size);

// Makes the scratch folder now rather than on first use. It is removed when the process exits
// normally, so a process that forks children which end with _exit (the corpus replay) calls this
// first: the children share the parent's folder instead of each leaving one behind.
void make_scratch_folder();

}  // namespace flywheel::fuzz
