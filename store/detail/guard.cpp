#include "store/detail/guard.h"

#include <sys/statvfs.h>

namespace kutsu::store::detail {
namespace {

// Whether the folder of `file` is on a file system mounted read-only now (as
// the kernel remounts one after errors with errors=remount-ro). Writes
// there fail with EROFS, which SQLite reports as SQLITE_IOERR_WRITE,
// _FSYNC … ("disk I/O error") or, opening a file, SQLITE_READONLY or
// SQLITE_CANTOPEN.
bool on_read_only_mount(const std::filesystem::path& file) {
  if (file.empty() || !file.has_parent_path()) return false;
  struct statvfs mount {};
  return ::statvfs(file.parent_path().c_str(), &mount) == 0 && (mount.f_flag & ST_RDONLY) != 0;
}

bool may_be_read_only(int code) {
  switch (code & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

// What a failure means to whoever runs the daemon, for the codes that are
// about the disk or the file rather than about Kutsu's own SQL.
std::string_view meaning_of(int code) {
  switch (code & 0xff) {  // the primary code of an extended one
    case SQLITE_FULL:
      return "the disk holding the outbox is full";
    case SQLITE_IOERR:
      return "an I/O error on the disk holding the outbox";
    case SQLITE_READONLY:
      return "the outbox cannot be written (its file or folder is read-only)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the outbox file reads as damaged; a failing disk (I/O errors, see the kernel log) "
             "is the usual cause";
    case SQLITE_CANTOPEN:
      return "the outbox file cannot be opened";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the outbox is locked by another process";
    case SQLITE_NOMEM:
      return "out of memory";
    default:
      return {};
  }
}

}  // namespace

Error store_error(std::string_view what, const SqliteError& error,
                  const std::filesystem::path& file) {
  const std::string_view meaning =
      may_be_read_only(error.code()) && on_read_only_mount(file)
          ? "the file system holding the outbox is read-only (mounted so, or remounted so by "
            "the kernel after disk errors: see its log)"
          : meaning_of(error.code());
  if (meaning.empty()) return Error{std::string(what) + ": " + error.what()};
  // An operator reads this on the status page: sqlite's own words, not the
  // statement it was running ("… (running: UPDATE …)").
  std::string_view said = error.what();
  said = said.substr(0, said.find(" ("));
  return Error{std::string(what) + ": " + std::string(meaning) + " (" + std::string(said) + ")",
               ErrorCode::unavailable};
}

}  // namespace kutsu::store::detail
