#include "agenda/channel.h"

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

}  // namespace kutsu::agenda
