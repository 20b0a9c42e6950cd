#include "export.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace flywheel::serve {

namespace {

bool is_scalar(const nlohmann::json& v) { return !v.is_object() && !v.is_array(); }

// JSON is YAML: scalars, lists of scalars and list items are written as JSON (flow style),
// blocks of keys as block mappings.
void emit(const nlohmann::json& block, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& [key, value] : block.items()) {
    out += pad;
    out += key;
    out += ':';
    if (value.is_object() && !value.empty()) {
      out += "\n";
      emit(value, indent + 2, out);
    } else if (value.is_array() && !value.empty() &&
               !std::all_of(value.begin(), value.end(), is_scalar)) {
      out += "\n";
      for (const nlohmann::json& item : value) {
        out += pad;
        out += "  - ";
        out += item.dump();
        out += '\n';
      }
    } else {
      out += ' ';
      out += value.dump();
      out += '\n';
    }
  }
}

}  // namespace

std::string shell_quote(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./=:,+-").find(c) != std::string_view::npos;
  });
  if (plain) return text;
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string run_command_text(const std::string& source_file,
                             const std::vector<Override>& overrides) {
  std::string out = "flywheel run " + shell_quote(source_file);
  for (const Override& o : overrides) out += " --set " + shell_quote(o.path + "=" + o.value);
  return out;
}

std::string export_yaml(const Scenario& scenario, const std::string& source_file,
                        const std::vector<Override>& overrides) {
  std::string out = "# Exported by `flywheel serve` from " + source_file + "\n";
  if (overrides.empty()) {
    out += "# with the scenario's own values (no lever moved).\n";
  } else {
    out += "# with these settings (every other value as resolved from the file):\n";
    for (const Override& o : overrides) out += "#   " + o.path + " = " + o.value + "\n";
  }
  out += "# Run it: flywheel run THIS_FILE\n";
  emit(scenario_to_json(scenario), 0, out);
  return out;
}

}  // namespace flywheel::serve
