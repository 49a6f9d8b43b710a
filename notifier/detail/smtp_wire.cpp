#include "notifier/detail/smtp_wire.h"

#include <algorithm>
#include <cctype>

namespace kutsu::notifier::detail {
namespace {

constexpr std::size_t kMaxLine = 4096;  // RFC 5321 allows 512; be generous, not unbounded

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool same_without_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool SmtpReplyReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    if (end == std::string_view::npos) {
      partial_.append(bytes);
      // The longest line may be cut between its CR and its LF.
      return partial_.size() <= kMaxLine + 1;
    }
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end + 1);
    bool ok = false;
    if (partial_.empty()) {
      ok = take_line(line);
    } else {
      partial_.append(line);
      ok = take_line(partial_);
      partial_.clear();
    }
    if (!ok) return false;
  }
  return true;
}

bool SmtpReplyReader::take_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLine || line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) ||
      !is_digit(line[2]) || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
    return false;
  }
  const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (continued_code_ != 0 && code != continued_code_) return false;
  if (line.size() > 3 && line[3] == '-') {
    continued_code_ = code;
    return true;
  }
  continued_code_ = 0;
  ready_.push_back(SmtpReply{code, std::string(line)});
  return true;
}

std::optional<SmtpReply> SmtpReplyReader::next() {
  if (ready_.empty()) return std::nullopt;
  SmtpReply reply = std::move(ready_.front());
  ready_.pop_front();
  return reply;
}

std::string data_payload(std::string_view message) {
  std::string payload;
  payload.reserve(message.size() + message.size() / 64 + 5);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') payload.push_back('.');
    payload.push_back(c);
    line_start = c == '\n';
  }
  if (!payload.empty() && !payload.ends_with("\r\n")) payload += "\r\n";
  payload += ".\r\n";
  return payload;
}

bool offers_extension(std::string_view ehlo_line, std::string_view keyword) {
  if (ehlo_line.size() < 4 || !ehlo_line.starts_with("250")) return false;
  std::string_view rest = ehlo_line.substr(4);
  const std::size_t end = rest.find_first_of(" \r\n");
  return same_without_case(rest.substr(0, end), keyword);
}

}  // namespace kutsu::notifier::detail
