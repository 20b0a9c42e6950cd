// A condition on one output, "OUTPUT OP VALUE" (e.g. "arr_usd@36 < 5e6", "cash_usd@min >= 0"):
// OUTPUT as a sweep output (parse_output_spec), OP one of < <= > >=, VALUE a finite number.
// Shared by `flywheel discover --target` and the constraints and objectives of `optimize`.
#pragma once

#include <flywheel/experiments/sweep.hpp>

#include <optional>
#include <string>

namespace flywheel {

struct OutcomeCondition {
  enum class Op { less, less_equal, greater, greater_equal };
  OutputSpec output;
  Op op = Op::less;
  double value = 0;
  std::string text;  // as given

  // False for NaN (an undefined output never meets a condition).
  bool holds(double x) const;
};

std::string_view op_text(OutcomeCondition::Op op);

// Returns nullopt and sets `problem` ("...; expected ...") when malformed.
std::optional<OutcomeCondition> parse_outcome_condition(const std::string& text,
                                                        std::string& problem);

// A finite number, the whole text (leading and trailing spaces allowed).
std::optional<double> parse_finite_number(const std::string& text);

// Trims spaces and tabs at both ends.
std::string trim_spaces(const std::string& text);

}  // namespace flywheel
