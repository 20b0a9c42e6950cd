// docs/parameters.md, generated from the parameter schema so that the reference never drifts
// from what the loader accepts (a test compares the file with this text).
#include <flywheel/scenario/loader.hpp>

#include "param_schema.hpp"

#include <sstream>

namespace flywheel {

namespace {

using namespace loader;

constexpr std::string_view kIntroduction = R"(# Scenario parameters

<!-- Generated from the parameter schema (engine/scenario/param_schema.cpp) by
     flywheel::parameter_reference_markdown(). Do not edit: change the schema, then run
     `build/flywheel params > docs/parameters.md`. -->

A scenario is one YAML file. Its keys map one to one onto `flywheel::Scenario`
(include/flywheel/spec/scenario.hpp); every key is listed below with its type, unit, range, default
and meaning. Paths such as `market.segments[].share` name a key inside each item of a list.

## Rules for values

- Unknown keys and keys given twice are errors; a near miss gets a "did you mean".
- A block left empty (`funnel:` with nothing under it) takes all its defaults.
- Numbers are YAML 1.2 decimal numbers: `12`, `-0.5`, `.5`, `1e6`, `2.5E-3`. Not accepted:
  `1_000`, hexadecimal or octal, `.inf`, `.nan`, values too large for a double (`1e400`), and
  quoted numbers (`"12"` is text).
- Integers are written as integers; a number with no fractional part (`3.0`, `2e6`) is accepted
  as the integer it equals, `1.5` is refused.
- Probabilities are per month and converted to the step's hazard 1-(1-p)^(dt/month); results
  depend on `simulation.step` only by a discretisation error that shrinks with the square of
  the step (docs/model.md#time has the figures).
- Refused outright: files over 1 MiB, more than one YAML document in a file, tabs in
  indentation, nesting deeper than 64 levels, more than 200000 values once aliases expand.
- Every problem is reported at once, as `FILE:LINE:COL: KEY.PATH: PROBLEM; expected RULE`.

## Schedules

A parameter of type *schedule* is either a plain number, in force from month 0, or a list of
pieces, each in force from its month (0-based) until the next piece:

```yaml
spend_usd_per_month: 40000
spend_usd_per_month: [{from_month: 0, value: 20000}, {from_month: 12, value: 60000}]
```

The first piece starts at month 0, months increase strictly, and each value obeys the
parameter's range.

## Extending a scenario

`extends: base.yaml` loads `base.yaml` (relative to this file's folder, itself possibly
extending another file) and merges this file over it: maps merge key by key, numbers, strings
and lists replace. Cycles are refused.

## Command-line overrides

`--set key.path=value` replaces one key after the `extends:` merge and is checked like the
file. The value is YAML: a scalar or a flow collection. List items are addressed by position
from 0, and keys absent from the file may be added:

```
flywheel run scenarios/plg-freemium.yaml --set simulation.months=48 \
    --set market.segments[0].share=0.6 --set market.segments[1].share=0.4 \
    --set 'strategy.plg.pql_conversion_per_month=[{from_month: 0, value: 0.05},
                                                  {from_month: 12, value: 0.1}]'
```

Problems with an override are reported as `--set:N:COL: ...`, N being the override's position
on the command line and COL the column in its `key.path=value` text.
)";

std::string type_cell(const ValueType& type) {
  switch (type.kind) {
    case Kind::map:
      return "map";
    case Kind::list:
      return "list of maps";
    case Kind::boolean:
      return "boolean";
    case Kind::integer:
      return "integer";
    case Kind::number:
      return type.what == "a probability" ? "probability" : "number";
    case Kind::text:
    case Kind::label:
      return "string";
    case Kind::identifier:
      return "name";
    case Kind::choice:
      return "choice";
    case Kind::metric:
      return "metric name";
    case Kind::schedule:
      return "schedule";
    case Kind::stage_list:
      return "list of stages";
    case Kind::stage_shares:
      return "map stage: share";
  }
  return "";
}

std::string range_cell(const Param& param) {
  const ValueType& type = param.type;
  switch (type.kind) {
    case Kind::integer:
    case Kind::number:
    case Kind::schedule: {
      const std::string range = range_text(type.range);
      return range.empty() ? "any finite number" : range;
    }
    case Kind::boolean:
      return "true, false";
    case Kind::choice:
    case Kind::stage_list:
      return join_names(type.choices);
    case Kind::stage_shares:
      return join_names(type.choices) + "; each in [0, 1], sum 1";
    case Kind::identifier:
      return "`[a-z][a-z0-9_]*`, unique";
    case Kind::label:
      return "non-empty";
    case Kind::list:
      return param.min_items > 0 ? "at least 1 item" : "";
    default:
      return "";
  }
}

struct ValueText {
  std::string operator()(std::monostate) const { return ""; }
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(std::int64_t v) const { return std::to_string(v); }
  std::string operator()(double v) const { return format_number(v); }
  std::string operator()(const std::string& v) const { return v.empty() ? "\"\"" : v; }
  std::string operator()(const Schedule& s) const {
    if (s.pieces.size() == 1) return format_number(s.pieces.front().value);
    std::string text;
    for (const Schedule::Piece& p : s.pieces) {
      text += std::string(text.empty() ? "[" : ", ") +
              "{from_month: " + std::to_string(p.from_month) +
              ", value: " + format_number(p.value) + "}";
    }
    return text + "]";
  }
  std::string operator()(const StageSet& set) const {
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (set[i]) names.push_back(kStageNames[i]);
    }
    std::string text = "[";  // appended, not '+': GCC 12 warns falsely on "[" + string
    text += join_names(names);
    text += "]";
    return text;
  }
  std::string operator()(const StageShares& shares) const {
    std::string text;
    for (std::size_t i = 0; i < shares.size(); ++i) {
      if (shares[i] == 0) continue;
      text +=
          std::string(text.empty() ? "{" : ", ") + kStageNames[i] + ": " + format_number(shares[i]);
    }
    return text + "}";
  }
};

std::string default_cell(const Param& param) {
  if (param.presence == Presence::required) return "**required**";
  if (param.type.kind == Kind::map || param.type.kind == Kind::list) return "";
  if (param.presence == Presence::optional) return "none";
  std::string cell = "`";
  cell += std::visit(ValueText{}, param.default_value);
  cell += "`";
  return cell;
}

std::string escape_cell(std::string text) {
  for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) {
    text.replace(at, 1, "\\|");
  }
  return text;
}

void write_row(std::ostringstream& out, const Param& param) {
  out << "| `" << param.path << "` | " << type_cell(param.type) << " | "
      << escape_cell(std::string(param.unit)) << " | " << escape_cell(range_cell(param)) << " | "
      << escape_cell(default_cell(param)) << " | " << escape_cell(std::string(param.meaning))
      << " |\n";
}

void write_table(std::ostringstream& out, const std::vector<const Param*>& rows) {
  out << "| path | type | unit | range | default | meaning |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const Param* row : rows) write_row(out, *row);
}

bool is_inside(std::string_view path, std::string_view block) {
  return path.starts_with(block) && path.size() > block.size() &&
         (path[block.size()] == '.' || path[block.size()] == '[');
}

}  // namespace

std::string parameter_reference_markdown() {
  std::ostringstream out;
  out << kIntroduction;
  const std::vector<Param>& params = param_schema().params();
  std::vector<const Param*> top_leaves;
  for (const Param& p : params) {
    const bool block = p.type.kind == Kind::map || p.type.kind == Kind::list;
    if (parent_of(p.path).empty() && !block) top_leaves.push_back(&p);
  }
  out << "\n## Top level\n\n";
  write_table(out, top_leaves);
  for (const Param& block : params) {
    const bool is_block = block.type.kind == Kind::map || block.type.kind == Kind::list;
    if (!parent_of(block.path).empty() || !is_block) continue;
    out << "\n## " << block.path << "\n\n"
        << block.meaning << " (" << type_cell(block.type)
        << (block.presence == Presence::required ? ", required" : ", optional") << ")\n\n";
    std::vector<const Param*> rows;
    for (const Param& p : params) {
      if (is_inside(p.path, block.path)) rows.push_back(&p);
    }
    write_table(out, rows);
  }
  return out.str();
}

}  // namespace flywheel
