#include "store/copy/outbox_location.h"

#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <optional>
#include <system_error>

#include "store/outbox.h"

namespace kutsu::store {
namespace {

using Options = std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)>;

// libpq's reading of `uri`, or the sentence saying why it cannot.
Result<Options> parse_uri(const std::string& uri) {
  char* message = nullptr;
  Options options(PQconninfoParse(uri.c_str(), &message), PQconninfoFree);
  if (!options) {
    std::string reason = message != nullptr ? message : "libpq cannot read it (out of memory?)";
    if (message != nullptr) PQfreemem(message);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return Error{"'" + uri + "' is not a PostgreSQL connection URI: " + reason,
                 ErrorCode::invalid};
  }
  return options;
}

std::optional<std::string> option(const Options& options, const char* keyword) {
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, keyword) == 0 && o->val != nullptr && *o->val != '\0') {
      return std::string(o->val);
    }
  }
  return std::nullopt;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string OutboxLocation::describe() const {
  if (kind == Kind::sqlite) return "the SQLite outbox " + file.string();
  // Parsed again rather than kept: describe() is for messages only.
  Result<Options> options = parse_uri(uri);
  if (!options) return "the PostgreSQL database " + uri;
  std::string text = "the PostgreSQL database " + option(*options, "dbname").value_or("(default)");
  if (auto host = option(*options, "host")) text += " on " + *host;
  return text;
}

Result<OutboxLocation> parse_outbox_location(std::string_view text) {
  if (text.empty()) return Error{"an outbox location must not be empty", ErrorCode::invalid};
  OutboxLocation location;
  if (starts_with(text, "postgresql://") || starts_with(text, "postgres://")) {
    location.kind = OutboxLocation::Kind::postgresql;
    location.uri = std::string(text);
    Result<Options> options = parse_uri(location.uri);
    if (!options) return options.error();
    if (option(*options, "password")) {
      return Error{"'" + std::string(text.substr(0, text.find(':'))) +
                       "://…' must not contain a password (it would show in the process list and "
                       "shell history): put it in ~/.pgpass or a file named by PGPASSFILE",
                   ErrorCode::invalid};
    }
    return location;
  }
  std::string_view path = text;
  if (starts_with(text, "sqlite:")) {
    path = text.substr(std::strlen("sqlite:"));
  } else if (text.find("://") != std::string_view::npos) {
    return Error{"'" + std::string(text) +
                     "' is neither a PostgreSQL URI (postgresql://…) nor an SQLite outbox "
                     "(sqlite:PATH or a file path)",
                 ErrorCode::invalid};
  }
  if (path.empty()) return Error{"'sqlite:' needs a file path after it", ErrorCode::invalid};
  location.kind = OutboxLocation::Kind::sqlite;
  location.file = std::filesystem::path(path);
  std::error_code error;
  if (std::filesystem::is_directory(location.file, error)) location.file = outbox_file(location.file);
  return location;
}

bool same_outbox(const OutboxLocation& a, const OutboxLocation& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == OutboxLocation::Kind::postgresql) return a.uri == b.uri;
  std::error_code error;
  if (std::filesystem::equivalent(a.file, b.file, error)) return true;
  // Not both there (a new destination): compare the names they resolve to.
  std::error_code error_a;
  std::error_code error_b;
  const std::filesystem::path path_a = std::filesystem::weakly_canonical(a.file, error_a);
  const std::filesystem::path path_b = std::filesystem::weakly_canonical(b.file, error_b);
  if (error_a || error_b) return a.file.lexically_normal() == b.file.lexically_normal();
  return path_a == path_b;
}

}  // namespace kutsu::store
