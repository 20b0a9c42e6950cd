#include "text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace flywheel::loader {

FileText read_text_file(const std::filesystem::path& path, std::size_t max_bytes, FileKind kind) {
  std::error_code ignored;
  const std::filesystem::file_status status = std::filesystem::status(path, ignored);
  if (std::filesystem::is_directory(status)) return {"", std::strerror(EISDIR)};
  if (kind == FileKind::regular && std::filesystem::exists(status) &&
      !std::filesystem::is_regular_file(status)) {
    return {"", "not a regular file"};
  }
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) return {"", std::strerror(errno != 0 ? errno : ENOENT)};
  FileText out;
  char buffer[1 << 16];
  std::size_t n = 0;
  while (out.text.size() <= max_bytes &&
         (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    out.text.append(buffer, n);
  }
  if (std::ferror(file.get())) return {"", std::strerror(EIO)};
  return out;
}

}  // namespace flywheel::loader
