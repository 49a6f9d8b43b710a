#include "scheduler/planner.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "agenda/time_range.h"
#include "model/time_format.h"
#include "model/time_rules.h"
#include "scheduler/notification_id.h"

namespace kutsu::scheduler {
namespace {

using agenda::Channel;

// The channels a notification goes out on, as a set of two.
struct ChannelSet {
  bool email = false;
  bool webhook = false;
};

// Fills one Plan: the recipients are worked out once per series, each
// session's times once, and each notification is a fixed-size value.
class PlanBuilder {
 public:
  PlanBuilder(const agenda::Series& series, const model::TimesConversion& conversion, Plan& plan)
      : series_(series), conversion_(conversion), plan_(plan), file_(series.source_file.string()) {
    for (const agenda::Participant& participant : series.participants) {
      if (series.in_audience(participant)) audience_.push_back(&participant);
    }
  }

  void build() {
    plan_.notifications.reserve(count());
    check_invitation();
    // A cancelled series invites no one; those already invited hear that
    // each session is cancelled.
    if (plan_.times.invitation_due && !series_.cancelled) {
      emit_to_all(all_channels(), model::NotificationKind::invitation, nullptr, nullptr, {},
                  *plan_.times.invitation_due, date::sys_seconds{});
    }
    for (std::size_t i = 0; i < series_.sessions.size(); ++i) {
      const agenda::Session& session = series_.sessions[i];
      date::sys_seconds start = plan_.times.sessions[i].start;
      if (session.cancelled) {
        if (plan_.times.invitation_due) {
          emit_to_all(all_channels(), model::NotificationKind::cancellation, &session, nullptr, {},
                      *plan_.times.invitation_due + std::chrono::seconds{1}, start);
        }
        continue;
      }
      for (const agenda::Reminder& reminder : series_.reminders_for(session)) {
        date::sys_seconds due =
            model::offset_before(start, reminder.before, reminder.at, *series_.zone);
        if (due >= start && conversion_.start_exact[i]) {
          report_late_reminder(session, reminder, due, start);
        }
        if (!in_supported_years(due)) report_reminder_out_of_range(session, reminder, due);
        std::string offset = agenda::reminder_identity(reminder, series_.reminders_for(session));
        emit_to_all(channels_of(reminder), model::NotificationKind::reminder, &session, &reminder,
                    offset, due, start);
      }
    }
  }

 private:
  ChannelSet all_channels() const {
    return ChannelSet{!series_.participants.empty(), !series_.webhooks.empty()};
  }

  ChannelSet channels_of(const agenda::Reminder& reminder) const {
    if (reminder.channels.empty()) return all_channels();
    ChannelSet set;
    for (Channel channel : reminder.channels) {
      (channel == Channel::email ? set.email : set.webhook) = true;
    }
    return set;
  }

  std::size_t recipients_on(ChannelSet channels) const {
    return (channels.email ? audience_.size() : 0) +
           (channels.webhook ? series_.webhooks.size() : 0);
  }

  // How many notifications build() makes, so that it allocates once.
  std::size_t count() const {
    std::size_t invited = series_.invitation ? recipients_on(all_channels()) : 0;
    std::size_t total = invited;
    for (const agenda::Session& session : series_.sessions) {
      if (session.cancelled) {
        total += invited;  // the cancellation goes to everyone invited
        continue;
      }
      for (const agenda::Reminder& reminder : series_.reminders_for(session)) {
        total += recipients_on(channels_of(reminder));
      }
    }
    return total;
  }

  void emit_to_all(ChannelSet channels, model::NotificationKind kind,
                   const agenda::Session* session, const agenda::Reminder* reminder,
                   std::string_view offset, date::sys_seconds due,
                   date::sys_seconds session_start) {
    NotificationIdentity identity;
    identity.series = series_.id;
    identity.session = session ? std::string_view(session->id) : std::string_view();
    identity.kind = kind;
    identity.offset = offset;
    identity.session_start = session_start;
    model::Notification notification;
    notification.series = &series_;
    notification.session = session;
    notification.kind = kind;
    notification.reminder = reminder;
    notification.due = due;
    notification.session_start = session_start;

    if (channels.email) {
      identity.channel = notification.channel = Channel::email;
      for (const agenda::Participant* participant : audience_) {
        identity.recipient = notification.recipient = participant->email;
        notification.participant = participant;
        notification.id = hasher_.id_of(identity);
        plan_.notifications.push_back(notification);
      }
    }
    if (channels.webhook) {
      identity.channel = notification.channel = Channel::webhook;
      notification.participant = nullptr;
      for (const agenda::NameRef& endpoint : series_.webhooks) {
        identity.recipient = notification.recipient = endpoint.name;
        notification.id = hasher_.id_of(identity);
        plan_.notifications.push_back(notification);
      }
    }
  }

  // Computed moments only: every written time was checked by the parser.
  // Read in the series zone, as the organiser would read the plan.
  bool in_supported_years(date::sys_seconds instant) const {
    return agenda::in_supported_years(model::local_reading(instant, *series_.zone));
  }

  void check_invitation() {
    if (!plan_.times.invitation_due || plan_.times.sessions.empty()) return;
    const agenda::Invitation& invitation = *series_.invitation;
    if (invitation.before && !in_supported_years(*plan_.times.invitation_due)) {
      plan_.diagnostics.push_back(
          Diagnostic{file_, invitation.pos,
                     "the invitation is due " +
                         model::format_in_zone(*plan_.times.invitation_due, *series_.zone) + ", " +
                         agenda::outside_supported_years()});
    }
    // A written time in a gap or fold is reported already; comparing with it
    // would repeat that problem in other words.
    if (!conversion_.invitation_exact || !conversion_.start_exact[plan_.times.first_session]) {
      return;
    }
    date::sys_seconds due = *plan_.times.invitation_due;
    const agenda::Session& first = series_.sessions[plan_.times.first_session];
    date::sys_seconds first_start = plan_.times.series_span.start;
    if (due < first_start) return;
    SourcePos pos = invitation.send_at ? invitation.send_at->pos : invitation.pos;
    plan_.diagnostics.push_back(
        Diagnostic{file_, pos,
                   "the invitation is due " + model::format_in_zone(due, *series_.zone) +
                       ", not before the first session '" + first.id + "' starts at " +
                       model::format_in_zone(first_start, *series_.zone)});
  }

  void report_late_reminder(const agenda::Session& session, const agenda::Reminder& reminder,
                            date::sys_seconds due, date::sys_seconds start) {
    std::string what = "reminder " + reminder.before.canonical();
    if (reminder.at) what += " at " + model::format_clock(*reminder.at);
    plan_.diagnostics.push_back(Diagnostic{file_, reminder.pos,
                                           what + " for session '" + session.id + "' is due " +
                                               model::format_in_zone(due, *series_.zone) +
                                               ", not before the session starts at " +
                                               model::format_in_zone(start, *series_.zone)});
  }

  void report_reminder_out_of_range(const agenda::Session& session,
                                    const agenda::Reminder& reminder, date::sys_seconds due) {
    std::string what = "reminder " + reminder.before.canonical();
    if (reminder.at) what += " at " + model::format_clock(*reminder.at);
    plan_.diagnostics.push_back(Diagnostic{file_, reminder.pos,
                                           what + " for session '" + session.id + "' is due " +
                                               model::format_in_zone(due, *series_.zone) + ", " +
                                               agenda::outside_supported_years()});
  }

  const agenda::Series& series_;
  const model::TimesConversion& conversion_;
  Plan& plan_;
  std::string file_;
  std::vector<const agenda::Participant*> audience_;
  NotificationIdHasher hasher_;
};

bool by_position(const Diagnostic& a, const Diagnostic& b) {
  return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
}

}  // namespace

Plan plan_series(const agenda::Series& series) {
  Plan plan;
  plan.series = &series;
  model::TimesConversion conversion = model::convert_times(series);
  plan.times = conversion.times;
  plan.diagnostics = std::move(conversion.diagnostics);
  try {
    PlanBuilder(series, conversion, plan).build();
  } catch (const std::runtime_error& error) {
    // Only OpenSSL can fail here, and not because of the file.
    plan.notifications.clear();
    plan.diagnostics.push_back(
        Diagnostic{series.source_file.string(), {}, std::string("cannot plan: ") + error.what()});
  }
  std::stable_sort(plan.diagnostics.begin(), plan.diagnostics.end(), by_position);
  std::sort(plan.notifications.begin(), plan.notifications.end(),
            [](const model::Notification& a, const model::Notification& b) {
              return a.due != b.due ? a.due < b.due : a.id < b.id;
            });
  return plan;
}

}  // namespace kutsu::scheduler
