// Channel: how a notification travels. E-mail goes to each participant; a
// webhook goes once per configured endpoint, not once per participant.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kutsu::agenda {

enum class Channel { email, webhook };

std::optional<Channel> parse_channel(std::string_view name);
std::string_view to_string(Channel channel);

// Whether two `channels` lists of reminders have a channel in common; an
// empty list stands for every channel.
bool share_a_channel(const std::vector<Channel>& a, const std::vector<Channel>& b);

}  // namespace kutsu::agenda
