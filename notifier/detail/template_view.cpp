#include "notifier/detail/template_view.h"

#include <glib.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "model/time_rules.h"
#include "notifier/date_format.h"
#include "notifier/recurrence_words.h"
#include "notifier/detail/agenda_kind_words.h"
#include "notifier/detail/safe_text.h"

namespace kutsu::notifier::detail {
namespace {

using agenda::Language;
using kainjow::mustache::data;

data flag(bool value) { return data{value ? data::type::bool_true : data::type::bool_false}; }

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\n");
  return std::string{text.substr(first, last - first + 1)};
}

// Paragraphs are separated by blank lines, as organisers write them in a
// TOML multi-line string; single line breaks stay inside a paragraph.
data paragraphs(const std::string& text) {
  data list{data::type::list};
  std::string current;
  std::size_t start = 0;
  auto flush = [&] {
    std::string paragraph = trim(current);
    if (!paragraph.empty()) {
      data item;
      item.set("text", paragraph);
      list.push_back(item);
    }
    current.clear();
  };
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line{text.data() + start, end - start};
    if (trim(line).empty()) {
      flush();
    } else {
      if (!current.empty()) current += '\n';
      current += line;
    }
    start = end + 1;
  }
  flush();
  return list;
}

void set_description(data& view, std::string_view raw) {
  const std::string description = trim(multi_line(raw));
  view.set("description", description);
  view.set("has_description", flag(!description.empty()));
  view.set("description_paragraphs", paragraphs(description));
}

// Names as a list (for templates that want "A, B ja C") and pre-joined.
void set_speakers(data& view, const std::vector<std::string>& speakers, bool with_counts) {
  data list{data::type::list};
  std::string text;
  for (std::size_t i = 0; i < speakers.size(); ++i) {
    const std::string name = one_line(speakers[i]);
    data item;
    item.set("name", name);
    item.set("first", flag(i == 0));
    item.set("last", flag(i + 1 == speakers.size()));
    list.push_back(item);
    if (i > 0) text += ", ";
    text += name;
  }
  view.set("speakers", list);
  view.set("speakers_text", text);
  view.set("has_speakers", flag(!speakers.empty()));
  if (with_counts) {
    view.set("one_speaker", flag(speakers.size() == 1));
    view.set("many_speakers", flag(speakers.size() > 1));
  }
}

// Where a message shows times: in the series zone, or in the participant's
// own (the CSV's `timezone`) with the series zone's reading beside them.
class ShownZone {
 public:
  ShownZone(const agenda::Series& series, const agenda::Participant* participant)
      : series_(*series.zone),
        shown_(participant != nullptr && participant->zone != nullptr ? *participant->zone : *series.zone) {}

  bool differs() const { return &series_ != &shown_; }

  date::local_seconds series_reading(const agenda::WrittenTime& time) const { return wall_clock_of(time, series_); }

  date::local_seconds reading(const agenda::WrittenTime& time) const {
    if (!differs()) return series_reading(time);
    const date::sys_seconds instant = time.utc_offset ? time.instant_from_offset()
                                                      : model::resolve_computed(time.local, series_);
    return model::local_reading(instant, shown_);
  }
  date::local_seconds reading(date::sys_seconds instant) const { return model::local_reading(instant, shown_); }

  // After a time in the participant's zone, the place it is named after:
  // " Stockholm"; empty when times are in the series zone.
  std::string shown_label() const { return differs() ? " " + place(shown_) : std::string(); }

  // "ke 2.2.2022 klo 17.00–18.30 Stockholm (ke 2.2.2022 klo 18.00–19.30 Helsinki)".
  std::string span(const agenda::WrittenTime& start, const agenda::WrittenTime& end, Language language) const {
    std::string text = format_span(reading(start), reading(end), language);
    if (!differs()) return text;
    return text + " " + place(shown_) + " (" +
           format_span(series_reading(start), series_reading(end), language) + " " + place(series_) + ")";
  }

 private:
  // The place a zone is named after: "Europe/New_York" → "New York".
  static std::string place(const date::time_zone& zone) {
    std::string name{zone.name()};
    if (const auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
  }

  const date::time_zone& series_;
  const date::time_zone& shown_;
};

data agenda_item_view(const agenda::AgendaItem& item, const ShownZone& zone, Language language) {
  data view;
  const date::local_seconds start = zone.reading(item.start);
  view.set("time", item.end ? format_clock_range(start, zone.reading(*item.end), language)
                            : format_clock(start, language));
  view.set("title", one_line(item.title));
  set_speakers(view, item.speakers, false);
  view.set("kind", std::string{agenda::to_string(item.kind)});
  view.set("is_talk", flag(item.kind == agenda::AgendaItemKind::talk));
  view.set("is_break", flag(item.kind == agenda::AgendaItemKind::break_));
  view.set("is_meal", flag(item.kind == agenda::AgendaItemKind::meal));
  view.set("is_discussion", flag(item.kind == agenda::AgendaItemKind::discussion));
  view.set("is_culture", flag(item.kind == agenda::AgendaItemKind::culture));
  view.set("is_other", flag(item.kind == agenda::AgendaItemKind::other));
  view.set("title_names_kind", flag(title_names_kind(item.title, item.kind, language)));
  return view;
}

// Only http(s) links become href targets; the parser already insists on
// https, this keeps a javascript: or data: link out of HTML regardless.
bool is_web_link(std::string_view url) {
  auto has_scheme = [url](std::string_view scheme) {
    return url.size() > scheme.size() &&
           g_ascii_strncasecmp(url.data(), scheme.data(), scheme.size()) == 0;
  };
  return has_scheme("https://") || has_scheme("http://");
}

data series_view(const agenda::Series& series) {
  data view;
  view.set("id", series.id);
  view.set("title", one_line(series.title));
  set_description(view, series.description);
  data organiser;
  organiser.set("name", one_line(series.organiser.name));
  organiser.set("email", one_line(series.organiser.email));
  view.set("organiser", organiser);
  return view;
}

data recipient_view(const agenda::Participant* participant) {
  data view;
  const std::string name = participant ? one_line(participant->name) : std::string{};
  view.set("name", name);
  view.set("has_name", flag(!name.empty()));
  view.set("email", participant ? one_line(participant->email) : std::string{});
  return view;
}

}  // namespace

MustacheData make_session_view(const agenda::Series& series, const agenda::Session& session,
                               const agenda::Participant* participant, Language language) {
  const ShownZone zone(series, participant);
  const date::local_seconds start = zone.reading(session.start);
  const date::local_seconds end = zone.reading(session.end);
  data view;
  view.set("id", session.id);
  view.set("title", one_line(session.title));
  view.set("when", zone.span(session.start, session.end, language));
  view.set("date", format_date(date::floor<date::days>(start), language));
  view.set("start", format_time(start, language));
  view.set("end", format_time(end, language));
  view.set("cancelled", flag(session.cancelled));
  set_speakers(view, session.speakers, true);
  const std::string location = one_line(session.location);
  view.set("location", location);
  view.set("has_location", flag(!location.empty()));
  if (session.doors_open) {
    view.set("doors_open", format_time(zone.reading(*session.doors_open), language));
  }
  view.set("has_doors_open", flag(session.doors_open.has_value()));
  set_description(view, session.description);
  const std::string* link = series.join_url_for(session, participant);
  const bool linked = link != nullptr && is_web_link(*link);
  view.set("join_url", linked ? one_line(*link) : std::string{});
  view.set("has_join_url", flag(linked));
  data items{data::type::list};
  for (const agenda::AgendaItem& item : session.agenda) {
    items.push_back(agenda_item_view(item, zone, language));
  }
  view.set("agenda", items);
  view.set("has_agenda", flag(!session.agenda.empty()));
  return view;
}

MustacheData make_series_layer(const agenda::Series& series) {
  data layer;
  layer.set("series", series_view(series));
  return layer;
}

namespace {

// How many dates of a recurring session an invitation lists.
constexpr std::size_t kDatesListed = 12;

// `sessions` (every session for an invitation, else the one) and `session`.
void add_sessions(data& layer, const agenda::Series& series, const agenda::Session* session,
                  const agenda::Participant* participant, Language language) {
  data sessions{data::type::list};
  if (session == nullptr) {
    // A recurring session is told once, at its first occurrence: its rule
    // in words (or none) and its dates. `sessions` stays parallel to
    // series.sessions (the calendar's descriptions are looked up in it);
    // `programme` is what an invitation lists: one entry per plain session
    // and per recurring one.
    data programme{data::type::list};
    std::vector<bool> told(series.recurring.size(), false);
    for (const agenda::Session& each : series.sessions) {
      data view = make_session_view(series, each, participant, language);
      bool later = false;
      if (each.occurrence) {
        const agenda::RecurringSession& recurring = series.recurring[each.occurrence->recurring];
        later = told[each.occurrence->recurring];
        told[each.occurrence->recurring] = true;
        view.set("later_occurrence", flag(later));
        if (!later) {
          const std::optional<std::string> words =
              recurrence_in_words(series, recurring, language);
          view.set("rule_in_words", words.value_or(""));
          view.set("has_rule_in_words", flag(words.has_value()));
          data dates{data::type::list};
          for (const std::string& text :
               occurrence_dates(series, recurring, language, kDatesListed)) {
            data date_view;
            date_view.set("when", text);
            dates.push_back(date_view);
          }
          view.set("occurrence_dates", dates);
          view.set("recurring", flag(true));
          view.set("cancelled", flag(false));  // the rule; its cancelled dates are left out
        }
      }
      if (!later) programme.push_back(view);
      sessions.push_back(view);
    }
    layer.set("programme", programme);
  } else {
    data view = make_session_view(series, *session, participant, language);
    sessions.push_back(view);
    layer.set("session", view);
  }
  layer.set("sessions", sessions);
}

}  // namespace

MustacheData make_sessions_layer(const agenda::Series& series, const agenda::Session* session,
                                 const agenda::Participant* participant, Language language) {
  data layer;
  add_sessions(layer, series, session, participant, language);
  return layer;
}

MustacheData make_recipient_layer(const model::Notification& notification, Language language,
                                  bool has_calendar, const RenderContext& context) {
  const agenda::Series& series = *notification.series;
  using Kind = model::NotificationKind;
  data view;
  view.set("recipient", recipient_view(notification.participant));
  view.set("is_invitation", flag(notification.kind == Kind::invitation));
  view.set("is_reminder", flag(notification.kind == Kind::reminder));
  view.set("is_update", flag(notification.kind == Kind::update));
  view.set("is_cancellation", flag(notification.kind == Kind::cancellation));
  view.set("has_calendar", flag(has_calendar));
  const bool has_opt_out = context.opt_out_links != nullptr && notification.participant != nullptr;
  view.set("has_opt_out", flag(has_opt_out));
  view.set("opt_out_url", has_opt_out ? context.opt_out_links->url(
                                            series.id, notification.participant->email)
                                      : std::string{});

  bool has_previous = false;
  if (notification.kind == Kind::update && notification.session != nullptr) {
    const SessionRevision revision = context.revision_of(notification.session->id);
    if (revision.previous_start) {
      const ShownZone zone(series, notification.participant);
      const date::local_seconds start = zone.reading(*revision.previous_start);
      data previous;
      previous.set("when", revision.previous_end
                               ? format_span(start, zone.reading(*revision.previous_end), language) +
                                     zone.shown_label()
                               : format_moment(start, language) + zone.shown_label());
      view.set("previous", previous);
      has_previous = true;
    }
  }
  view.set("has_previous", flag(has_previous));

  if (notification.reminder != nullptr) {
    data reminder;
    reminder.set("offset", notification.reminder->written_before());
    view.set("reminder", reminder);
  }
  return view;
}

MustacheData make_message_view(const model::Notification& notification, Language language,
                               bool has_calendar, const RenderContext& context) {
  data view = make_recipient_layer(notification, language, has_calendar, context);
  view.set("series", series_view(*notification.series));
  add_sessions(view, *notification.series, notification.session, notification.participant,
               language);
  return view;
}

}  // namespace kutsu::notifier::detail
