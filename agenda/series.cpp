#include "agenda/series.h"

#include <algorithm>
#include <cstdio>

namespace kutsu::agenda {

std::string_view to_string(AgendaItemKind kind) {
  switch (kind) {
    case AgendaItemKind::talk:
      return "talk";
    case AgendaItemKind::break_:
      return "break";
    case AgendaItemKind::meal:
      return "meal";
    case AgendaItemKind::discussion:
      return "discussion";
    case AgendaItemKind::culture:
      return "culture";
    case AgendaItemKind::other:
      return "other";
  }
  return "?";
}

bool Series::in_audience(const Participant& participant) const {
  if (!audience) return true;
  return std::any_of(
      participant.roles.begin(), participant.roles.end(), [&](const std::string& role) {
        return std::find(audience->begin(), audience->end(), role) != audience->end();
      });
}

std::string Reminder::written_at() const {
  if (!at) return {};
  const auto seconds = at->count();
  char text[16];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return text;
}

std::string reminder_identity(const Reminder& reminder, const std::vector<Reminder>& list) {
  std::string identity = reminder.before.canonical();
  const bool shares_its_before = std::any_of(list.begin(), list.end(), [&](const Reminder& other) {
    return &other != &reminder && other.before == reminder.before &&
           share_a_channel(other.channels, reminder.channels);
  });
  if (shares_its_before) identity += "@" + (reminder.at ? reminder.written_at() : std::string("-"));
  return identity;
}

}  // namespace kutsu::agenda
