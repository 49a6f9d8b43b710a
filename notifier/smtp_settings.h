// SMTP delivery settings, as kutsu.toml's [email] section gives them to the
// SMTP transport and each of its connections, and the checks that they can
// work. Passwords arrive here already read from their file.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kutsu::notifier {

enum class StartTls {
  required,       // refuse to send unless the server upgrades the connection
  opportunistic,  // upgrade when the server offers it, else send in the clear
  off,            // never upgrade; accepted only for a loopback server
};

// "required" | "opportunistic" | "off", as in kutsu.toml's [email] starttls.
Result<StartTls> parse_starttls(std::string_view text);

struct SmtpSettings {
  std::string url;  // smtp://host[:port] (STARTTLS per `starttls`) or smtps:// (implicit TLS)
  StartTls starttls = StartTls::required;
  std::string username;  // empty: no AUTH
  std::string password;  // already read from password_file by the caller
  long max_connections = 8;
  std::chrono::milliseconds timeout{30'000};  // one attempt: connect, dialogue and upload
  std::string ca_file;  // PEM file of CAs to trust instead of the system store; empty: system
};

// Why `settings` cannot be used, naming the setting; ok when it can.
Status validate(const SmtpSettings& settings);

}  // namespace kutsu::notifier
