#include "base/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace kutsu {
namespace {

std::string os_error(int error) { return std::generic_category().message(error); }

Error cannot_read(const std::filesystem::path& path, const std::string& reason) {
  return Error{"cannot read '" + path.string() + "': " + reason};
}

// Why a file of this type cannot be read as text, in an organiser's words.
std::string not_regular(mode_t mode) {
  if (S_ISDIR(mode)) return "it is a folder, not a file";
  if (S_ISFIFO(mode)) return "it is a named pipe (FIFO), not a regular file";
  if (S_ISSOCK(mode)) return "it is a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "it is a device, not a regular file";
  return "it is not a regular file";
}

Error too_large(const std::filesystem::path& path, const InputFileKind& kind) {
  return Error{"'" + path.string() + "' is larger than " + describe_size(kind.max_bytes) + ", the most " +
               std::string(kind.what) + " may be"};
}

}  // namespace

InputFd::~InputFd() {
  if (fd_ >= 0) static_cast<void>(::close(fd_));
}

std::string describe_size(std::size_t bytes) {
  constexpr std::size_t kKiB = 1024;
  constexpr std::size_t kMiB = 1024 * kKiB;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Result<InputFd> open_input_file(const std::filesystem::path& path, const InputFileKind& kind) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  InputFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return cannot_read(path, os_error(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return cannot_read(path, os_error(errno));
  if (!S_ISREG(status.st_mode)) return cannot_read(path, not_regular(status.st_mode));
  if (static_cast<std::size_t>(status.st_size) > kind.max_bytes) return too_large(path, kind);
  // Back to blocking reads: a regular file never blocks, and O_NONBLOCK on
  // some network file systems turns a slow read into EAGAIN.
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return cannot_read(path, os_error(errno));
  }
  return fd;
}

Result<std::string> read_input_file(const std::filesystem::path& path, const InputFileKind& kind) {
  Result<InputFd> fd = open_input_file(path, kind);
  if (!fd) return fd.error();
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd->get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return cannot_read(path, os_error(errno));
    }
    if (got == 0) break;
    // The size was checked at open; a file that grew since is still bounded.
    if (text.size() + static_cast<std::size_t>(got) > kind.max_bytes) return too_large(path, kind);
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

}  // namespace kutsu
