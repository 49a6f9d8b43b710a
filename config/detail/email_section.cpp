// The [email] table: how mail leaves (SMTP or a maildir) and as whom.
#include "config/detail/endpoint_url.h"
#include "config/detail/load_context.h"

namespace kutsu::config::detail {
namespace {

std::optional<EmailTransport> parse_transport(std::string_view text) {
  if (text == "smtp") return EmailTransport::smtp;
  if (text == "maildir") return EmailTransport::maildir;
  return std::nullopt;
}

std::optional<StartTls> parse_starttls(std::string_view text) {
  if (text == "required") return StartTls::required;
  if (text == "opportunistic") return StartTls::opportunistic;
  if (text == "off") return StartTls::off;
  return std::nullopt;
}

// The SMTP URL: smtp:// or smtps:// to a host. Returns the parsed URL so the
// starttls rule can look at the host.
std::optional<EndpointUrl> check_smtp_url(const Located<std::string>& url, LoadContext& context) {
  Result<EndpointUrl> parsed = EndpointUrl::parse(url.value);
  if (!parsed) {
    context.sink.error(url.pos, "'url': " + parsed.error().message);
    return std::nullopt;
  }
  if (parsed->scheme != "smtp" && parsed->scheme != "smtps") {
    context.sink.error(url.pos,
                       "'url' must start with smtp:// or smtps://, not " + parsed->scheme + "://");
    return std::nullopt;
  }
  return parsed.value();
}

}  // namespace

void read_email_section(TomlTableReader& table, LoadContext& context, EmailSettings& email) {
  if (auto text = table.string("transport")) {
    if (auto transport = parse_transport(text->value)) {
      email.transport = *transport;
    } else {
      context.sink.error(text->pos,
                         "'transport' must be smtp or maildir, not '" + text->value + "'");
    }
  }
  std::optional<Located<std::string>> starttls_text = table.string("starttls");
  if (starttls_text) {
    if (auto starttls = parse_starttls(starttls_text->value)) {
      email.starttls = *starttls;
    } else {
      context.sink.error(
          starttls_text->pos,
          "'starttls' must be required, opportunistic or off, not '" + starttls_text->value + "'");
      starttls_text.reset();
    }
  }

  std::optional<Located<std::string>> url = table.string("url");
  std::optional<EndpointUrl> smtp;
  if (url) {
    email.url = url->value;
    smtp = check_smtp_url(*url, context);
  } else if (email.transport == EmailTransport::smtp) {
    table.missing("url", " when transport is smtp");
  }
  // Plain SMTP with STARTTLS off sends the password and every message in
  // clear text; that is only harmless on this machine (test servers).
  if (smtp && smtp->scheme == "smtp" && email.starttls == StartTls::off && !smtp->loopback &&
      starttls_text) {
    const std::string message =
        "starttls = \"off\" is allowed only for a loopback host (127.0.0.1, ::1, localhost), not "
        "'" +
        smtp->host + "'";
    context.sink.error(starttls_text->pos, message);
  }

  std::optional<Located<std::string>> username = table.string("username");
  if (username) email.username = username->value;
  std::optional<Located<std::string>> password_path = table.string("password_file");
  if (username && !password_path) {
    context.sink.error(username->pos, "'username' needs 'password_file' beside it");
  }
  if (password_path && !username) {
    context.sink.error(password_path->pos, "'password_file' needs 'username' beside it");
  }
  if (auto password = context.secret_file(table, "password_file")) {
    email.password_file = password->path;
    email.password = std::move(password->secret);
  }

  if (auto from = table.string("from")) {
    if (from->value.find_first_of("\r\n") != std::string::npos) {
      context.sink.error(from->pos, "'from' must be one line");
    } else if (from->value.find('@') == std::string::npos) {
      context.sink.error(from->pos,
                         "'from' must hold an e-mail address, e.g. "
                         "\"Webinaarit <webinaarit@example.org>\"");
    } else {
      email.from = from->value;
    }
  } else if (email.transport == EmailTransport::smtp) {
    table.missing("from", " when transport is smtp");
  }

  if (auto maildir = context.path(table, "maildir")) email.maildir = *maildir;
  if (auto connections = table.integer("max_connections")) {
    if (connections->value < 1 || connections->value > 1000) {
      context.sink.error(connections->pos, "'max_connections' must be from 1 to 1000, not " +
                                               std::to_string(connections->value));
    } else {
      email.max_connections = static_cast<int>(connections->value);
    }
  }
}

}  // namespace kutsu::config::detail
