// Notification: one message to one recipient over one channel at one moment,
// as the planner (scheduler/planner.h) computes it from a series and the
// notifier renders it; it lives in model/ because those two may not include
// each other.
//
// Identity (interfaces.md): series, session, kind, offset, channel, recipient
// and the session start it was computed for. The id is a hash of exactly
// those (scheduler/notification_id.h), so re-planning the same files gives
// the same ids on every run and machine, and a moved session gives new ids
// (the old ones get superseded).
// An invitation covers the whole series: its identity has no session and no
// start, so moving `send_at` keeps its id.
//
// A Notification points into the Series it was planned from (session,
// participant, reminder); the Series must outlive it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "agenda/series.h"

namespace kutsu::model {

enum class NotificationKind { invitation, reminder, update, cancellation };
std::string_view to_string(NotificationKind kind);
std::optional<NotificationKind> parse_notification_kind(std::string_view name);

// 128 bits of SHA-256 over the identity fields; printed as 32 lowercase hex
// digits. Fixed size so that a million of them cost no allocations.
struct NotificationId {
  std::array<std::uint8_t, 16> bytes{};

  std::string to_string() const;
  // The same 32 digits without allocating (for writers of a million ids).
  std::array<char, 32> hex() const;
  static std::optional<NotificationId> parse(std::string_view hex);
  friend auto operator<=>(const NotificationId&, const NotificationId&) = default;
};

struct Notification {
  NotificationId id;
  const agenda::Series* series = nullptr;
  const agenda::Session* session = nullptr;  // null for an invitation
  NotificationKind kind = NotificationKind::reminder;
  const agenda::Reminder* reminder = nullptr;  // set iff kind == reminder
  agenda::Channel channel = agenda::Channel::email;
  // email: the participant; webhook: null.
  const agenda::Participant* participant = nullptr;
  // email: the participant's address; webhook: the endpoint name.
  std::string_view recipient;
  date::sys_seconds due;
  // The session start this was computed for (identity); epoch for invitations.
  date::sys_seconds session_start;
};

}  // namespace kutsu::model
