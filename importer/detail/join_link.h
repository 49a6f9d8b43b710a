// join_link: the link to join an online meeting, as calendar programs put
// it into an event's description or location ("Click here to join the
// meeting<https://teams.microsoft.com/l/meetup-join/…>").
//
// Promises: the first https link in `text` to a Microsoft Teams meeting
// (teams.microsoft.com or teams.live.com, /l/meetup-join/ or /meet/), a Zoom
// meeting (zoom.us or a subdomain, /j/, /my/, /w/ or /s/), a Google Meet
// room (meet.google.com/<code>) or a Webex meeting (a subdomain of
// webex.com), which agenda's is_https_link accepts; nullopt if there is
// none. Other links of those services (Teams' "meeting options", help
// pages) are not meeting links. Trailing punctuation and the angle brackets
// Outlook writes around links are not part of the link.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kutsu::importer::detail {

std::optional<std::string> meeting_link(std::string_view text);

}  // namespace kutsu::importer::detail
