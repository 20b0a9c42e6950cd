// The words of a sweep spec as its files and messages print them: design methods, engines, and
// the command-line overrides (part of a sweep's identity, sweep_spec.cpp).
#include <flywheel/experiments/sweep.hpp>

#include <fmt/format.h>

namespace flywheel {

std::string_view design_method_name(DesignMethod method) {
  switch (method) {
    case DesignMethod::grid:
      return "grid";
    case DesignMethod::random:
      return "random";
    case DesignMethod::lhs:
      return "lhs";
    case DesignMethod::sobol:
      return "sobol";
    case DesignMethod::saltelli:
      return "saltelli";
    case DesignMethod::morris:
      return "morris";
  }
  return "?";
}

std::string_view sweep_engine_name(SweepEngine engine) {
  return engine == SweepEngine::mean_field ? "mean_field" : "agent";
}

std::string SweepOverrides::command_line() const {
  std::string text;
  auto add = [&text](const std::string& part) {
    if (!text.empty()) text += ' ';
    text += part;
  };
  if (replicates) add(fmt::format("--replicates {}", *replicates));
  if (samples) add(fmt::format("--samples {}", *samples));
  for (const auto& [path, value] : sets) add(fmt::format("--set {}={}", path, value));
  return text;
}

}  // namespace flywheel
