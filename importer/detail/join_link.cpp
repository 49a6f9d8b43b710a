#include "importer/detail/join_link.h"

#include "agenda/detail/https_link.h"

namespace kutsu::importer::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_or_under(const std::string& host, std::string_view domain) {
  return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                            host[host.size() - domain.size() - 1] == '.');
}

bool is_meeting(std::string_view url) {
  const std::string_view rest = url.substr(8);  // after "https://"
  const std::size_t host_end = rest.find_first_of("/?#");
  std::string host = lower(rest.substr(0, host_end));
  if (const auto colon = host.find(':'); colon != std::string::npos) host.resize(colon);
  const std::string path = host_end == std::string_view::npos ? "" : std::string(rest.substr(host_end));
  if (host == "teams.microsoft.com" || host == "teams.live.com") {
    return path.starts_with("/l/meetup-join/") || path.starts_with("/meet/");
  }
  if (is_or_under(host, "zoom.us")) {
    return path.starts_with("/j/") || path.starts_with("/my/") || path.starts_with("/w/") ||
           path.starts_with("/s/");
  }
  if (host == "meet.google.com") return path.size() > 1 && path[0] == '/' && path[1] != '?' && path[1] != '_';
  if (is_or_under(host, "webex.com") && host != "webex.com" && host != "www.webex.com") return path.size() > 1;
  return false;
}

bool ends_link(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\\' || byte >= 0x80;
}

}  // namespace

std::optional<std::string> meeting_link(std::string_view text) {
  const std::string lowered = lower(text);
  for (std::size_t at = lowered.find("https://"); at != std::string::npos;
       at = lowered.find("https://", at + 8)) {
    std::size_t end = at;
    while (end < text.size() && !ends_link(text[end])) ++end;
    std::string_view url = text.substr(at, end - at);
    while (!url.empty() && (url.back() == '.' || url.back() == ',' || url.back() == ';' || url.back() == ')' ||
                            url.back() == ']' || url.back() == '!' || url.back() == '?')) {
      url.remove_suffix(1);
    }
    if (url.size() > 8 && is_meeting(url) && agenda::detail::is_https_link(url)) return std::string(url);
  }
  return std::nullopt;
}

}  // namespace kutsu::importer::detail
