// Which texts are numbers: the YAML 1.2 core schema's decimal forms, nothing else (no 1_000,
// no hex or octal, no YAML 1.1 sexagesimals).
#pragma once

#include <string_view>

namespace flywheel::loader {

enum class NumberSyntax { none, integer, decimal, infinity, nan };

// integer: [-+]?[0-9]+; decimal: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?;
// infinity: [-+]?\.(inf|Inf|INF); nan: \.(nan|NaN|NAN).
NumberSyntax classify_number(std::string_view text);

// Parses text classified as integer or decimal; false when it does not fit a finite double
// (1e999), or underflows it (1e-999). Integers too long for int64 are read as doubles.
bool parse_number_text(std::string_view text, NumberSyntax syntax, double& out);

}  // namespace flywheel::loader
