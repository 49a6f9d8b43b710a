// Reading a file that came from outside (a series file, a participants CSV,
// a template, kutsu.toml, a secret) without letting its name take the
// process down.
//
// A path can name anything: /dev/zero never ends, /dev/urandom never ends, a
// FIFO blocks the open until someone writes, a directory cannot be read.
// These functions open with O_NONBLOCK (so a FIFO cannot block the open), then
// accept only a regular file, and read at most `max_bytes`: a larger file is
// refused by its size before a byte is read, and a file that grows while it
// is read is cut off at the bound and refused. Every failure is an Error with
// a sentence an organiser understands, naming the path.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu {

// What a file is, and how large it may be, for the messages ("a series file
// may be at most 2 MiB").
struct InputFileKind {
  std::string_view what;  // "a series file", "the participants CSV", …
  std::size_t max_bytes;
};

// The limits agenda-format.md and interfaces.md name.
inline constexpr InputFileKind kSeriesFile{"a series file", 2 * 1024 * 1024};
inline constexpr InputFileKind kParticipantsCsv{"a participants CSV", 32 * 1024 * 1024};
inline constexpr InputFileKind kTemplateFile{"a template", 256 * 1024};
inline constexpr InputFileKind kConfigFile{"the daemon config", 1024 * 1024};

// An open file descriptor that closes itself. Read-only use: an error on
// close cannot lose data, so it is not reported.
class InputFd {
 public:
  explicit InputFd(int fd) : fd_(fd) {}
  ~InputFd();
  InputFd(InputFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  InputFd& operator=(InputFd&&) = delete;
  InputFd(const InputFd&) = delete;
  InputFd& operator=(const InputFd&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

// Opens `path` read-only if it is a regular file of at most kind.max_bytes.
Result<InputFd> open_input_file(const std::filesystem::path& path, const InputFileKind& kind);

// The whole file, under the same rules.
Result<std::string> read_input_file(const std::filesystem::path& path, const InputFileKind& kind);

// "2 MiB", "256 KiB", "100 bytes": sizes as the messages say them.
std::string describe_size(std::size_t bytes);

}  // namespace kutsu
