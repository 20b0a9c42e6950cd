#include <flywheel/experiments/outcome_condition.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace flywheel {

std::string trim_spaces(const std::string& text) {
  const std::size_t a = text.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const std::size_t b = text.find_last_not_of(" \t");
  return text.substr(a, b - a + 1);
}

std::optional<double> parse_finite_number(const std::string& text) {
  const std::string t = trim_spaces(text);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view op_text(OutcomeCondition::Op op) {
  switch (op) {
    case OutcomeCondition::Op::less:
      return "<";
    case OutcomeCondition::Op::less_equal:
      return "<=";
    case OutcomeCondition::Op::greater:
      return ">";
    case OutcomeCondition::Op::greater_equal:
      return ">=";
  }
  return "?";
}

bool OutcomeCondition::holds(double x) const {
  if (std::isnan(x)) return false;
  switch (op) {
    case Op::less:
      return x < value;
    case Op::less_equal:
      return x <= value;
    case Op::greater:
      return x > value;
    case Op::greater_equal:
      return x >= value;
  }
  return false;
}

std::optional<OutcomeCondition> parse_outcome_condition(const std::string& text,
                                                        std::string& problem) {
  using Op = OutcomeCondition::Op;
  // Two-character operators first, so "<=" is not read as "<" then "=5".
  constexpr std::array<std::pair<std::string_view, Op>, 4> ops = {
      {{"<=", Op::less_equal}, {">=", Op::greater_equal}, {"<", Op::less}, {">", Op::greater}}};
  for (const auto& [symbol, op] : ops) {
    const std::size_t at = text.find(symbol);
    if (at == std::string::npos) continue;
    const std::string left = trim_spaces(text.substr(0, at));
    const std::string right = text.substr(at + symbol.size());
    std::string output_problem;
    const std::optional<OutputSpec> output = parse_output_spec(left, output_problem);
    if (!output) {
      problem = "\"" + left + "\" " + output_problem;
      return std::nullopt;
    }
    const std::optional<double> value = parse_finite_number(right);
    if (!value) {
      problem = '"';
      problem += trim_spaces(right);
      problem += "\" is not a finite number; expected OUTPUT OP NUMBER, e.g. arr_usd@36 < 5e6";
      return std::nullopt;
    }
    OutcomeCondition c;
    c.output = *output;
    c.op = op;
    c.value = *value;
    c.text = trim_spaces(text);
    return c;
  }
  problem = "has no comparison; expected OUTPUT OP NUMBER with OP one of < <= > >=, e.g. "
            "arr_usd@36 < 5e6";
  return std::nullopt;
}

}  // namespace flywheel
