#include "agenda/series.h"

#include <algorithm>

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

}  // namespace kutsu::agenda
