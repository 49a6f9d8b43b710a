#include "console/status_summary.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <boost/json.hpp>

#include "model/time_format.h"

namespace kutsu::console {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 7> kStates = {"pending", "sending", "retrying",  "sent",
                                                     "failed",  "missed",  "superseded"};

// An answer without a field the summary needs; caught at the boundary.
struct MissingField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json::value& field(const json::value& object, std::string_view name) {
  const json::object* fields = object.if_object();
  const json::value* value = fields ? fields->if_contains(name) : nullptr;
  if (value == nullptr) throw MissingField("no \"" + std::string(name) + "\"");
  return *value;
}

std::string text(const json::value& object, std::string_view name) {
  const json::value& value = field(object, name);
  if (!value.is_string()) throw MissingField("\"" + std::string(name) + "\" is not a string");
  return std::string(value.get_string());
}

std::optional<std::string> optional_text(const json::value& object, std::string_view name) {
  if (field(object, name).is_null()) return std::nullopt;
  return text(object, name);
}

std::int64_t number(const json::value& object, std::string_view name) {
  const json::value& value = field(object, name);
  if (!value.is_int64() && !value.is_uint64()) {
    throw MissingField("\"" + std::string(name) + "\" is not a whole number");
  }
  return value.to_number<std::int64_t>();
}

const json::array& list(const json::value& object, std::string_view name) {
  const json::value& value = field(object, name);
  if (!value.is_array()) throw MissingField("\"" + std::string(name) + "\" is not a list");
  return value.get_array();
}

date::sys_seconds instant(const json::value& object, std::string_view name) {
  Result<date::sys_seconds> parsed = model::parse_rfc3339(text(object, name));
  if (!parsed) throw MissingField("\"" + std::string(name) + "\": " + parsed.error().message);
  return *parsed;
}

// "2022-02-02T18:00:00+02:00" → "Wed 2022-02-02 18:00 +02:00"; "…Z" → "… UTC".
struct Stamp {
  std::string day;     // "Wed 2022-02-02"
  std::string clock;   // "18:00"
  std::string offset;  // "+02:00" or "UTC"
};

Stamp stamp(const std::string& written) {
  // Checked by the same reader the API's own tests use; the parts are then
  // taken from the text as written, so the series' wall clock is kept.
  if (!model::parse_rfc3339(written) || written.size() < 20) {
    throw MissingField("\"" + written + "\" is not an RFC 3339 time");
  }
  const int year = std::stoi(written.substr(0, 4));
  const unsigned month = std::stoul(written.substr(5, 2));
  const unsigned day = std::stoul(written.substr(8, 2));
  const date::weekday weekday{date::sys_days{date::year{year} / month / day}};
  static constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                                "Thu", "Fri", "Sat"};
  const std::string_view zone = std::string_view(written).substr(19);
  return Stamp{std::string(kWeekdays[weekday.c_encoding()]) + " " + written.substr(0, 10),
               written.substr(11, 5), zone == "Z" || zone == "z" ? "UTC" : std::string(zone)};
}

std::string format_stamp(const std::string& written) {
  const Stamp parts = stamp(written);
  return parts.day + " " + parts.clock + " " + parts.offset;
}

// The daemon's own moments (start, now, a reload) to the second: "Wed 2022-01-19 06:59:58 UTC".
std::string format_moment(const std::string& written) {
  const Stamp parts = stamp(written);
  return parts.day + " " + written.substr(11, 8) + " " + parts.offset;
}

// A notification's moment as its series shows it, or in UTC when unknown.
std::string due_of(const json::value& notification) {
  std::optional<std::string> local = optional_text(notification, "due_local");
  return format_stamp(local ? *local : text(notification, "due"));
}

std::string span_of(const json::value& session) {
  const Stamp start = stamp(text(session, "start_local"));
  const Stamp end = stamp(text(session, "end_local"));
  if (start.day == end.day && start.offset == end.offset) {
    return start.day + " " + start.clock + "–" + end.clock + " " + start.offset;
  }
  return start.day + " " + start.clock + " " + start.offset + " – " + end.day + " " + end.clock +
         " " + end.offset;
}

// "3 min", "2 h 5 min", "4 days 3 h".
std::string duration_words(std::chrono::seconds span) {
  const std::int64_t s = std::max<std::int64_t>(0, span.count());
  if (s < 60) return std::to_string(s) + " s";
  const std::int64_t days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60;
  if (days > 0) {
    return std::to_string(days) + (days == 1 ? " day" : " days") +
           (hours ? " " + std::to_string(hours) + " h" : "");
  }
  if (hours > 0)
    return std::to_string(hours) + " h" + (minutes ? " " + std::to_string(minutes) + " min" : "");
  return std::to_string(minutes) + " min";
}

// "pending 3, sent 2" (only_nonzero) or every state in order.
std::string counts_of(const json::value& counts, bool only_nonzero) {
  std::string line;
  for (std::string_view state : kStates) {
    const std::int64_t n = number(counts, state);
    if (only_nonzero && n == 0) continue;
    if (!line.empty()) line += ", ";
    line += std::string(state) + " " + std::to_string(n);
  }
  return line.empty() ? "no notifications" : line;
}

std::string kind_of(const json::value& notification) {
  std::optional<std::string> offset = optional_text(notification, "offset");
  return text(notification, "kind") + (offset ? " " + *offset : "");
}

std::string place_of(const json::value& notification) {
  std::optional<std::string> session = optional_text(notification, "session");
  return text(notification, "series") + (session ? " / " + *session : "");
}

// One line per notification, the kind, channel and recipient columns aligned.
void append_rows(std::string& out, const std::vector<const json::value*>& rows, bool with_reason) {
  std::size_t kind_width = 0, channel_width = 0, recipient_width = 0;
  for (const json::value* row : rows) {
    kind_width = std::max(kind_width, kind_of(*row).size());
    channel_width = std::max(channel_width, text(*row, "channel").size());
    recipient_width = std::max(recipient_width, text(*row, "recipient").size());
  }
  auto padded = [](std::string value, std::size_t width) {
    value.resize(std::max(width, value.size()), ' ');
    return value;
  };
  for (const json::value* row : rows) {
    out += "  " + due_of(*row) + "  " + padded(kind_of(*row), kind_width) + "  " +
           padded(text(*row, "channel"), channel_width) + "  " +
           padded(text(*row, "recipient"), recipient_width) + "  (" + place_of(*row) + ")\n";
    if (with_reason) {
      std::optional<std::string> reason = optional_text(*row, "last_result");
      out +=
          "      " + text(*row, "state") + ": " +
          (reason ? *reason : "no attempt was made (its moment passed while the daemon was down)") +
          "\n";
    }
  }
}

void append_header(std::string& out, const StatusAnswers& answers) {
  const json::value& status = answers.status;
  const std::string now = text(status, "now");
  const std::string started = text(status, "started_at");
  out += "kutsu " + text(status, "version") + " at " + answers.url + ", up " +
         duration_words(instant(status, "now") - instant(status, "started_at")) + " (since " +
         format_moment(started) + "; daemon time " + format_moment(now) + ")\n";
  out += "Notifications: " + counts_of(field(status, "counts"), false) + "\n";
  // A daemon from before the store object, or a healthy outbox, says nothing.
  const json::object* store = status.as_object().if_contains("store") != nullptr
                                  ? status.as_object().at("store").if_object()
                                  : nullptr;
  if (store != nullptr && store->contains("ok") && store->at("ok") == false) {
    out += "OUTBOX UNAVAILABLE, nothing is sent: " + text(status.at("store"), "problem") + "\n";
    if (const json::array* waiting = store->at("series_waiting").if_array();
        waiting != nullptr && !waiting->empty()) {
      std::string ids;
      for (const json::value& id : *waiting) {
        ids += (ids.empty() ? "" : ", ") + std::string(id.as_string());
      }
      out += "Series waiting to be stored: " + ids + "\n";
    }
  }
}

// Several daemons on one PostgreSQL outbox: who they are, when each was
// last heard of, and which load other versions of the series files (they
// send none of the rows planned from this node's versions, nor it theirs).
// One node, or a daemon from before the field, says nothing.
void append_nodes(std::string& out, const StatusAnswers& answers) {
  const json::object& status = answers.status.as_object();
  const json::value* nodes = status.if_contains("nodes");
  if (nodes == nullptr || !nodes->is_array() || nodes->as_array().size() < 2) return;
  const date::sys_seconds now = instant(answers.status, "now");
  std::size_t name_width = 0;
  for (const json::value& node : nodes->as_array()) {
    name_width = std::max(name_width, text(node, "name").size());
  }
  out += "Nodes sharing the outbox (" + std::to_string(nodes->as_array().size()) + ")\n";
  for (const json::value& node : nodes->as_array()) {
    std::string name = text(node, "name");
    name.resize(name_width, ' ');
    out += "  " + name + "  ";
    out += field(node, "this_node").as_bool()
               ? "this node"
               : "last heard " + duration_words(now - instant(node, "heartbeat_at")) + " ago";
    if (field(node, "versions_differ").as_bool()) {
      out += "; other versions of the series files than this node";
    }
    out += "\n";
  }
  if (!list(answers.status, "nodes_with_other_versions").empty()) {
    out +=
        "  (a deployment is unfinished: until every node has loaded the same files, each sends "
        "only the rows planned from its own)\n";
  }
}

void append_series(std::string& out, const StatusAnswers& answers) {
  const json::array& series = list(answers.series, "series");
  out += "\nSeries (" + std::to_string(series.size()) + " loaded)\n";
  if (series.empty()) out += "  none\n";
  for (const json::value& one : series) {
    const std::int64_t sessions = number(one, "sessions");
    const std::int64_t cancelled = number(one, "cancelled_sessions");
    out += "  " + text(one, "title") + " (" + text(one, "id") + ", " + text(one, "timezone") +
           ", " + std::to_string(sessions) + (sessions == 1 ? " session" : " sessions") +
           (cancelled ? ", " + std::to_string(cancelled) + " cancelled" : "") + ")\n";
    // "    recurring: kokous (10 dates), kahvit (7 dates)"
    if (const json::value* recurring = one.as_object().if_contains("recurring");
        recurring && recurring->is_array() && !recurring->as_array().empty()) {
      std::string line;
      for (const json::value& rule : recurring->as_array()) {
        const std::int64_t dates = number(rule, "occurrences");
        line += (line.empty() ? "" : ", ") + text(rule, "id") + " (" + std::to_string(dates) +
                (dates == 1 ? " date)" : " dates)");
      }
      out += "    recurring: " + line + "\n";
    }
    const json::value& next = field(one, "next_session");
    if (next.is_null()) {
      out += "    next session: none ahead\n";
    } else {
      out += "    next session: " + span_of(next) + "  " + text(next, "title") +
             (field(next, "cancelled").as_bool() ? " (cancelled)" : "") + "\n";
    }
    out += "    " + counts_of(field(one, "counts"), true) + "\n";
  }
}

void append_next_sends(std::string& out, const StatusAnswers& answers) {
  const json::array& rows = list(answers.pending, "notifications");
  const std::int64_t pending = number(field(answers.status, "counts"), "pending");
  out += "\nNext sends";
  if (static_cast<std::int64_t>(rows.size()) < pending) {
    out += " (" + std::to_string(rows.size()) + " of " + std::to_string(pending) + " pending)";
  }
  out += "\n";
  if (rows.empty()) out += "  nothing is pending\n";
  std::vector<const json::value*> shown;
  for (const json::value& row : rows) shown.push_back(&row);
  append_rows(out, shown, false);
}

void append_failures(std::string& out, const StatusAnswers& answers) {
  const json::value& counts = field(answers.status, "counts");
  const std::int64_t failed = number(counts, "failed"), missed = number(counts, "missed");
  std::vector<const json::value*> rows;
  for (const json::value& row : list(answers.failed, "notifications")) rows.push_back(&row);
  for (const json::value& row : list(answers.missed, "notifications")) rows.push_back(&row);
  // The most recent first: the ones an admin is most likely asking about.
  std::stable_sort(rows.begin(), rows.end(), [](const json::value* a, const json::value* b) {
    return instant(*a, "due") > instant(*b, "due");
  });
  out += "\nFailures (" + std::to_string(failed) + " failed, " + std::to_string(missed) + " missed";
  if (static_cast<std::int64_t>(rows.size()) < failed + missed) {
    out += "; " + std::to_string(rows.size()) + " shown";
  }
  out += ")\n";
  if (rows.empty()) out += "  none\n";
  append_rows(out, rows, true);
}

void append_reload(std::string& out, const StatusAnswers& answers) {
  const json::value& report = field(answers.status, "last_reload");
  const json::array& files = list(report, "files");
  std::size_t broken = 0;
  for (const json::value& file : files) broken += field(file, "ok").as_bool() ? 0 : 1;
  out += "\nLast reload " + format_moment(text(report, "at")) + ": ";
  if (std::optional<std::string> error = optional_text(report, "error")) {
    out += "nothing was loaded: " + *error + "\n";
  } else if (broken == 0) {
    out +=
        std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") + ", all loaded\n";
  } else {
    out += std::to_string(broken) + " of " + std::to_string(files.size()) +
           (files.size() == 1 ? " file" : " files") + " did not load\n";
  }
  for (const json::value& file : files) {
    if (const json::value* notices = file.as_object().if_contains("notices")) {
      for (const json::value& notice : notices->as_array()) {
        out += "  " + std::string(text(file, "series")) + ": " + std::string(notice.as_string()) + "\n";
      }
    }
    if (field(file, "ok").as_bool()) continue;
    for (const json::value& error : list(file, "errors")) {
      out += "  " + std::string(error.as_string()) + "\n";
    }
    out += field(file, "kept_previous").as_bool()
               ? "    (the previous version of the series stays in force)\n"
               : "    (nothing from this file is in force)\n";
  }
  const json::array& removed = list(report, "removed");
  if (!removed.empty()) {
    out += "  removed:";
    for (const json::value& id : removed) out += " " + std::string(id.as_string());
    out += "\n";
  }
}

}  // namespace

Result<std::string> format_status_summary(const StatusAnswers& answers) {
  std::string out;
  try {
    append_header(out, answers);
    append_nodes(out, answers);
    append_series(out, answers);
    append_next_sends(out, answers);
    append_failures(out, answers);
    append_reload(out, answers);
  } catch (const std::exception& e) {
    // MissingField, or Boost.JSON's as_bool()/as_string() on a value of another kind.
    return Error{"the daemon at " + answers.url +
                 " answered in a shape kutsu status does not know: " + e.what()};
  }
  return out;
}

}  // namespace kutsu::console
