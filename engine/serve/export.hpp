// The playground's settings as a scenario file and as a `flywheel run` command.
#pragma once

#include <flywheel/scenario/loader.hpp>

#include <string>
#include <vector>

namespace flywheel::serve {

// The resolved scenario (every parameter, defaults filled) as block YAML that loads back to the
// same scenario, headed by comments naming the source file and the settings.
std::string export_yaml(const Scenario& scenario, const std::string& source_file,
                        const std::vector<Override>& overrides);

// "flywheel run FILE --set k=v ...", each word quoted for a POSIX shell where needed.
std::string run_command_text(const std::string& source_file,
                             const std::vector<Override>& overrides);

// `text` quoted for a POSIX shell when it holds anything but [A-Za-z0-9_./=:,+-].
std::string shell_quote(const std::string& text);

}  // namespace flywheel::serve
