// Errors a user can act on: each problem carries its location, key path, bad value and the fix.
// Bad input is exit code 2; anything else thrown is an internal error (exit code 1).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace flywheel {

// One problem in an input file or on the command line.
struct Diagnostic {
  std::string file;     // path as given, or "<command line>"
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string path;     // key path, e.g. "strategy.plg.pql_min_active_users"; may be empty
  std::string message;  // "problem; expected ..."

  // "file:line:col: key.path: message"
  std::string to_string() const;
};

// Thrown for bad input: carries every problem found, in file order.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace flywheel
