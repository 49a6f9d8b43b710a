// The [store] table of kutsu.toml: the outbox on PostgreSQL. Its presence
// is the choice of store, so a [store] without a usable url is an error,
// never a silent fall back to SQLite.
#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

#include "config/detail/load_context.h"

namespace kutsu::config::detail {
namespace {

// A node name goes into the outbox with every claim and attempt and into
// the status API: short, and nothing that needs quoting anywhere.
constexpr std::size_t kLongestNode = 63;

bool valid_node(std::string_view name) {
  if (name.empty() || name.size() > kLongestNode) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string node_rule() {
  return "1 to " + std::to_string(kLongestNode) + " letters, digits, '.', '_' or '-'";
}

// Checks `url` with libpq's own parser, so that what passes here is what
// PQconnectStart will read. An error message, or none.
std::optional<std::string> check_url(const std::string& url) {
  if (url.empty()) return "'url' must not be empty";
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
      PQconninfoParse(url.c_str(), &message), PQconninfoFree);
  if (!options) {
    std::string reason = message != nullptr ? message : "libpq cannot read it (out of memory?)";
    if (message != nullptr) PQfreemem(message);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return "'url' is not a libpq connection string: " + reason;
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    // Secrets come from files only: a password in the url would be printed
    // and logged with it.
    if (std::strcmp(option->keyword, "password") == 0 && option->val != nullptr) {
      return "'url' must not contain a password: put it in a file named by 'password_file' "
             "(or libpq's PGPASSFILE)";
    }
  }
  return std::nullopt;
}

// The host name, or an error naming why there is none.
Result<std::string> host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) {
    return Error{std::string("gethostname: ") + std::strerror(errno)};
  }
  return std::string(name.data());
}

}  // namespace

void read_store_section(TomlTableReader& table, LoadContext& context, StoreSettings& store) {
  if (auto url = table.string("url", Need::required)) {
    if (std::optional<std::string> problem = check_url(url->value)) {
      context.sink.error(url->pos, *problem);
    } else {
      store.url = url->value;
    }
  }
  if (auto password = context.secret_file(table, "password_file")) {
    store.password_file = password->path;
    store.password = std::move(password->secret);
  }
  if (auto node = table.string("node")) {
    if (!valid_node(node->value)) {
      context.sink.error(node->pos, "'node' must be " + node_rule() + ", not '" + node->value + "'");
    } else {
      store.node = node->value;
    }
  } else {
    Result<std::string> host = host_name();
    if (!host) {
      context.sink.error(table.pos(), "[store] has no 'node' and the host name cannot be read (" +
                                          host.error().message + "); set 'node'");
    } else if (!valid_node(*host)) {
      context.sink.error(table.pos(), "[store] has no 'node' and the host name '" + *host +
                                          "' cannot be one (" + node_rule() + "); set 'node'");
    } else {
      store.node = *host;
    }
  }
  if (auto text = table.string("lease")) {
    // Shorter than 5 s, one slow statement could let a live claim lapse;
    // longer than an hour, a dead node's rows wait too long for the others.
    constexpr std::chrono::seconds kShortest{5};
    constexpr std::chrono::seconds kLongest{3600};
    if (auto lease = context.duration(*text, "lease", true)) {
      if (*lease < kShortest || *lease > kLongest) {
        context.sink.error(text->pos, "'lease' must be from PT5S to PT1H, not " + text->value);
      } else {
        store.lease = *lease;
      }
    }
  }
}

}  // namespace kutsu::config::detail
