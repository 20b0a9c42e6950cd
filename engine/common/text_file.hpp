// Reading an input file (scenario or sweep spec) as text, with a size limit checked before the
// whole file is read, so that a huge or endless input is refused cheaply.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace flywheel::loader {

struct FileText {
  std::string text;
  std::string error;  // why it could not be read; empty when read
};

enum class FileKind {
  any,      // a file named on the command line: a pipe such as <(...) is fine
  regular,  // a file named inside another one (extends:, base:, network.edge_list): a device or
            // FIFO (/dev/zero, /dev/stdin) would make loading endless or block it
};

// Reads at most `max_bytes + 1` bytes: a larger file shows as text.size() > max_bytes.
FileText read_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                        FileKind kind = FileKind::any);

}  // namespace flywheel::loader
