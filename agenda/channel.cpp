#include "agenda/channel.h"

#include <algorithm>

namespace kutsu::agenda {

std::optional<Channel> parse_channel(std::string_view name) {
  if (name == "email") return Channel::email;
  if (name == "webhook") return Channel::webhook;
  return std::nullopt;
}

std::string_view to_string(Channel channel) {
  switch (channel) {
    case Channel::email:
      return "email";
    case Channel::webhook:
      return "webhook";
  }
  return "?";
}

bool share_a_channel(const std::vector<Channel>& a, const std::vector<Channel>& b) {
  if (a.empty() || b.empty()) return true;
  return std::any_of(a.begin(), a.end(),
                     [&](Channel channel) { return std::find(b.begin(), b.end(), channel) != b.end(); });
}

}  // namespace kutsu::agenda
