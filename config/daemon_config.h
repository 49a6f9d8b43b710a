// DaemonConfig: the daemon's kutsu.toml (interfaces.md "Daemon config"),
// loaded with every default filled in, every path absolute and every secret
// read from its file.
//
// Loading never stops at the first problem: each one comes back as a
// Diagnostic pointing at FILE:LINE:COLUMN of the key or value at fault (or
// of the table that lacks a key). A config is returned only when there is
// none. Secrets are held as Secret, which prints "***"; printing a whole
// DaemonConfig (operator<<) is therefore safe to log.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/listen_address.h"
#include "config/secret.h"

namespace kutsu::config {

enum class EmailTransport { smtp, maildir };
enum class StartTls { required, opportunistic, off };

struct DaemonSettings {
  std::filesystem::path series_dir;      // default ./series
  std::filesystem::path state_dir;       // default ./var
  std::chrono::seconds misfire_grace{};  // default PT15M
  // How far ahead recurring sessions are planned; whole days, default P400D.
  std::chrono::days plan_horizon{400};
  // A session deleted from its file after its invitation went out is
  // cancelled this much later (a deletion undone sooner sends nothing).
  std::chrono::seconds cancel_delay{600};  // default PT10M
};

struct HttpSettings {
  ListenAddress listen;  // default 127.0.0.1:8470
  // The admin API's bearer token; none when token_file is not set (then no
  // request can authenticate and /api answers 401).
  std::optional<std::filesystem::path> token_file;
  std::optional<Secret> token;
  // Where participants reach the opt-out and public calendar routes (a
  // reverse proxy in front of Kutsu), without a trailing slash: https, or
  // http for a loopback host. None: http:// and the address `listen` binds.
  std::optional<std::string> public_url;
  // The admin server's connection table. The totals bound file descriptors
  // and memory; the per-client share keeps one address (one misbehaving
  // client) from taking the table from the others. A reverse proxy on the
  // same host is one client: it needs max_connections_per_client raised.
  int max_connections = 512;
  // Default 32, or max_connections when that is smaller.
  int max_connections_per_client = 32;
  // How long a keep-alive connection may wait for its next request; while
  // the table is more than 3/4 full, idle connections are closed after 1 s.
  std::chrono::seconds idle_timeout{30};
};

struct EmailSettings {
  EmailTransport transport = EmailTransport::maildir;
  std::string url;  // smtp only: smtp://host[:port] or smtps://…
  StartTls starttls = StartTls::required;
  std::optional<std::string> username;  // set together with password
  std::optional<std::filesystem::path> password_file;
  std::optional<Secret> password;
  std::string from;               // required for smtp; "Kutsu <kutsu@localhost>" for maildir
  std::filesystem::path maildir;  // default ./var/maildir
  int max_connections = 8;
};

struct WebhookEndpoint {
  std::string name;  // what series files refer to; unique
  std::string url;   // https (http only to a loopback host)
  std::filesystem::path secret_file;
  Secret signing_key;  // the base64-decoded part of the file's "whsec_…"
  std::string format;  // "json"
};

struct DeliverySettings {
  int max_attempts = 8;
  std::vector<std::chrono::seconds> backoff;  // never empty; the last one repeats
  std::chrono::seconds timeout{};             // default PT30S

  // The wait after failed attempt number `attempt` (1 = the first attempt).
  std::chrono::seconds backoff_after(int attempt) const;
};

// [store]: the outbox on PostgreSQL, shared by several daemons
// (interfaces.md "Several daemons, one PostgreSQL database").
struct StoreSettings {
  // A libpq connection URI or key=value string, checked by libpq's own
  // parser; it never carries a password (that comes from password_file or
  // libpq's PGPASSFILE), so printing it is safe.
  std::string url;
  std::optional<std::filesystem::path> password_file;
  std::optional<Secret> password;
  // This daemon's name among the nodes, recorded with every claim and
  // attempt: 1–63 of [A-Za-z0-9._-]; default the host name.
  std::string node;
  // A claim its node has not renewed for this long is taken over by
  // another node; PT5S…PT1H, default PT60S.
  std::chrono::seconds lease{60};
};

struct DaemonConfig {
  std::filesystem::path file;  // the kutsu.toml it came from (absolute)
  DaemonSettings daemon;
  HttpSettings http;
  EmailSettings email;
  std::vector<WebhookEndpoint> webhooks;  // in file order
  DeliverySettings delivery;
  std::optional<StoreSettings> store;  // absent: SQLite in state_dir

  const WebhookEndpoint* webhook(std::string_view name) const;  // null if unknown
};

struct ConfigLoad {
  std::optional<DaemonConfig> config;  // set iff diagnostics is empty
  Diagnostics diagnostics;             // every problem, in file order
};

// Where relative secret files are looked for besides the config's folder.
struct ConfigEnvironment {
  std::optional<std::filesystem::path> credentials_directory;
  // $CREDENTIALS_DIRECTORY when it is set and not empty.
  static ConfigEnvironment from_process();
};

// Reads and validates `file`. Relative paths in it (series_dir, state_dir,
// maildir, secret files) resolve against the file's folder.
ConfigLoad load_config(const std::filesystem::path& file,
                       const ConfigEnvironment& environment = ConfigEnvironment::from_process());

// The same for text already in memory, as if read from `file`.
ConfigLoad parse_config(std::string_view toml_text, const std::filesystem::path& file,
                        const ConfigEnvironment& environment);

std::string_view to_string(EmailTransport transport);
std::string_view to_string(StartTls starttls);

// The effective config as TOML, defaults included, secrets as "***".
std::ostream& operator<<(std::ostream& out, const DaemonConfig& config);

}  // namespace kutsu::config
