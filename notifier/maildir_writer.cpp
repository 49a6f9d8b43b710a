#include "notifier/maildir_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

namespace kutsu::notifier {
namespace {

std::string failure(const char* call, const std::filesystem::path& path, int error) {
  return std::string("maildir: ") + call + " " + path.string() + ": " + std::strerror(error);
}

// The host name with the two characters the convention reserves escaped.
std::string maildir_hostname() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  std::string escaped;
  for (const char* c = buffer; *c != '\0'; ++c) {
    if (*c == '/') {
      escaped += "\\057";
    } else if (*c == ':') {
      escaped += "\\072";
    } else {
      escaped += *c;
    }
  }
  return escaped.empty() ? "localhost" : escaped;
}

// mkdir that accepts an existing directory; true if it created one.
std::optional<std::string> ensure_directory(const std::filesystem::path& path, bool& created) {
  if (::mkdir(path.c_str(), 0700) == 0) {
    created = true;
    return std::nullopt;
  }
  if (errno != EEXIST) return failure("mkdir", path, errno);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return failure("stat", path, errno);
  if (!S_ISDIR(info.st_mode)) return failure("mkdir", path, ENOTDIR);
  return std::nullopt;
}

std::optional<std::string> fsync_directory(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return failure("open", path, errno);
  std::optional<std::string> error;
  if (::fsync(fd) != 0) error = failure("fsync", path, errno);
  if (::close(fd) != 0 && !error) error = failure("close", path, errno);
  return error;
}

// Writes all of `bytes` to a new file at `path`, fsynced and closed.
std::optional<std::string> write_new_file(const std::filesystem::path& path,
                                          const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return failure("open", path, errno);
  std::optional<std::string> error;
  std::size_t written = 0;
  while (written < bytes.size() && !error) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = failure("write", path, errno);
    } else {
      written += static_cast<std::size_t>(n);
    }
  }
  if (!error && ::fsync(fd) != 0) error = failure("fsync", path, errno);
  if (::close(fd) != 0 && !error) error = failure("close", path, errno);
  return error;
}

}  // namespace

MaildirWriter::MaildirWriter(boost::asio::any_io_executor completions,
                             boost::asio::any_io_executor work, std::filesystem::path root,
                             Clock now)
    : completions_(std::move(completions)),
      work_(std::move(work)),
      root_(std::move(root)),
      now_(now ? std::move(now) : Clock([] {
        return std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now());
      })),
      hostname_(maildir_hostname()) {}

void MaildirWriter::send(EmailMessage message, DeliveryCallback done) {
  boost::asio::post(work_, [this, message = std::move(message), done = std::move(done)]() mutable {
    AttemptResult result = write(message);
    boost::asio::post(completions_, [done = std::move(done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
  });
}

std::string MaildirWriter::unique_name() {
  auto now = now_();
  auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  auto micros = now - seconds;
  return std::to_string(seconds.time_since_epoch().count()) + ".M" +
         std::to_string(micros.count()) + "P" + std::to_string(::getpid()) + "Q" +
         std::to_string(counter_.fetch_add(1) + 1) + "." + hostname_;
}

AttemptResult MaildirWriter::write(const EmailMessage& message) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(root_, ec);
  if (ec) return AttemptResult::retry(failure("mkdir", root_, ec.value()));
  for (const std::filesystem::path& dir : {root_ / "tmp", root_ / "new", root_ / "cur"}) {
    if (auto error = ensure_directory(dir, created)) return AttemptResult::retry(*error);
  }
  if (created) {
    // New directory entries must survive a crash as much as the message does.
    if (auto error = fsync_directory(root_)) return AttemptResult::retry(*error);
  }
  std::string name = unique_name();
  std::filesystem::path tmp = root_ / "tmp" / name;
  std::filesystem::path target = root_ / "new" / name;
  std::optional<std::string> error = write_new_file(tmp, message.bytes);
  if (!error && ::rename(tmp.c_str(), target.c_str()) != 0) error = failure("rename", tmp, errno);
  if (error) {
    // Best effort: the file may not exist if open failed; nothing else to do.
    (void)::unlink(tmp.c_str());
    return AttemptResult::retry(*error);
  }
  if (auto synced = fsync_directory(root_ / "new")) return AttemptResult::retry(*synced);
  return AttemptResult::sent("written to new/" + name);
}

}  // namespace kutsu::notifier
