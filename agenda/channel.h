// Channel: how a notification travels. E-mail goes to each participant; a
// webhook goes once per configured endpoint, not once per participant.
#pragma once

#include <optional>
#include <string_view>

namespace kutsu::agenda {

enum class Channel { email, webhook };

std::optional<Channel> parse_channel(std::string_view name);
std::string_view to_string(Channel channel);

}  // namespace kutsu::agenda
