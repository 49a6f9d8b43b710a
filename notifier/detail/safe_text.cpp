#include "notifier/detail/safe_text.h"

#include <glib.h>

#include <algorithm>
#include <memory>

namespace kutsu::notifier::detail {
namespace {

// GLib's validator rather than our own: it also rejects overlong forms and
// surrogates, and repairs with U+FFFD. The input may contain NUL, so the
// length is always passed.
std::string valid_utf8(std::string_view text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    return std::string{text};
  }
  std::unique_ptr<gchar, decltype(&g_free)> repaired{
      g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())), &g_free};
  return std::string{repaired.get()};
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string one_line(std::string_view text) {
  // Most text needs no change: no control characters, no space at either
  // end or next to another one. Then only the UTF-8 check remains.
  bool clean = text.empty() || (text.front() != ' ' && text.back() != ' ');
  for (std::size_t i = 0; clean && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    clean = !is_control(c) && !(c == ' ' && i + 1 < text.size() && text[i + 1] == ' ');
  }
  if (clean) return valid_utf8(text);
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (unsigned char c : text) {
    if (is_control(c) || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(c);
  }
  return valid_utf8(out);
}

std::string multi_line(std::string_view text) {
  const bool clean = std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return is_control(byte) && byte != '\n' && byte != '\t';
  });
  if (clean) return valid_utf8(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n' || c == '\t') {
      out += static_cast<char>(c);
    } else if (is_control(c)) {
      out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
  return valid_utf8(out);
}

}  // namespace kutsu::notifier::detail
