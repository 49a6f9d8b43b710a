#include "agenda/detail/text_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace kutsu::agenda::detail {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

Error read_error(const std::filesystem::path& path, int error_number) {
  return Error{"cannot read '" + path.string() + "': " + std::strerror(error_number)};
}

}  // namespace

Result<std::string> read_text_file(const std::filesystem::path& path) {
  // Read-only; an error on close cannot lose data, so only read errors count.
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return read_error(path, errno);
  std::string text;
  char buffer[16384];
  while (true) {
    std::size_t count = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, count);
    if (count < sizeof buffer) break;
  }
  if (std::ferror(file.get())) return read_error(path, errno);
  return text;
}

}  // namespace kutsu::agenda::detail
