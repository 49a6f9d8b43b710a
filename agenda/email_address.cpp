// is_valid_email (declared in participants_csv.h): a deliberately plain
// addr-spec check. Addresses end up in SMTP envelopes and headers, so anything
// beyond dot-atom local parts and dotted host names (quoted strings, comments,
// IP literals, non-ASCII) is refused rather than half-supported.
#include <string_view>

#include "agenda/participants_csv.h"

namespace kutsu::agenda {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext.
bool is_atext(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom: atext runs separated by single dots, no dot first or last.
bool is_dot_atom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  char previous = 0;
  for (char c : text) {
    if (c == '.' ? previous == '.' : !is_atext(c)) return false;
    previous = c;
  }
  return true;
}

// Host name labels: letters, digits and inner hyphens, 1-63 characters.
bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

bool is_domain(std::string_view domain) {
  if (domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
  while (true) {
    std::size_t dot = domain.find('.');
    if (!is_label(domain.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

}  // namespace

bool is_valid_email(std::string_view address) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || address.size() > 254) return false;
  std::string_view local = address.substr(0, at);
  return local.size() <= 64 && is_dot_atom(local) && is_domain(address.substr(at + 1));
}

}  // namespace kutsu::agenda
