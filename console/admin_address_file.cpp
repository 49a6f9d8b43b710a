#include "console/admin_address_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace kutsu::console {
namespace {

Error os_error(const char* what, const std::filesystem::path& path, int error) {
  return Error{std::string("cannot ") + what + " '" + path.string() + "': " + std::strerror(error),
               ErrorCode::unavailable};
}

}  // namespace

std::filesystem::path admin_address_path(const std::filesystem::path& state_dir) {
  return state_dir / "admin-address";
}

Status write_admin_address(const std::filesystem::path& state_dir, const ListenAddress& bound) {
  const std::filesystem::path path = admin_address_path(state_dir);
  const std::filesystem::path temporary = state_dir / ".admin-address.tmp";
  const std::string text = bound.to_string() + "\n";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return os_error("create", temporary, errno);
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int write_error = errno;
  const int closed = ::close(fd);
  const int close_error = errno;
  if (written != static_cast<ssize_t>(text.size()) || closed != 0) {
    ::unlink(temporary.c_str());  // a leftover temporary file is harmless; the error below is what matters
    if (closed != 0 && written == static_cast<ssize_t>(text.size())) return os_error("close", temporary, close_error);
    return os_error("write", temporary, written < 0 ? write_error : ENOSPC);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) return os_error("rename to", path, errno);
  return {};
}

Result<std::string> read_admin_address(const std::filesystem::path& state_dir) {
  const std::filesystem::path path = admin_address_path(state_dir);
  std::ifstream in(path);
  if (!in) {
    return Error{"no daemon has said where it listens ('" + path.string() +
                     "' is missing): is kutsu serve running with this config?",
                 ErrorCode::not_found};
  }
  std::string address;
  std::getline(in, address);
  if (address.empty()) return Error{"'" + path.string() + "' is empty", ErrorCode::invalid};
  return address;
}

Status remove_admin_address(const std::filesystem::path& state_dir) {
  const std::filesystem::path path = admin_address_path(state_dir);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return os_error("remove", path, errno);
  return {};
}

}  // namespace kutsu::console
