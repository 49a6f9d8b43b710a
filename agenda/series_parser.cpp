#include "agenda/series_parser.h"

#include <map>
#include <system_error>

#include <date/tz.h>
#include <toml++/toml.h>

#include "agenda/detail/https_link.h"
#include "agenda/detail/occurrences.h"
#include "agenda/detail/reminder_parser.h"
#include "agenda/detail/series_id.h"
#include "agenda/detail/session_parser.h"
#include "agenda/detail/time_values.h"
#include "agenda/participants_csv.h"
#include "base/diagnostic_sink.h"
#include "base/input_file.h"
#include "base/toml_document.h"
#include "base/toml_table_reader.h"

namespace kutsu::agenda {
namespace {

// Reads the root table of one series file into `series_`, reporting to `sink_`.
// Per-session work is in session_parser, reminders in reminder_parser; this
// class does the series-level keys and the checks that span sessions.
class SeriesReader {
 public:
  SeriesReader(const std::filesystem::path& path, std::optional<std::string_view> csv,
               const SeriesOptions& options)
      : path_(path), csv_text_(csv), options_(options), sink_(path.string()) {
    series_.source_file = path;
  }

  SeriesLoad read(std::string_view text) {
    try {
      if (std::optional<toml::table> root = parse_toml_document(text, sink_)) read_root(*root);
    } catch (const std::exception& error) {
      // Not expected (allocation failure, a library bug); still a value, never a throw.
      sink_.error(SourcePos{},
                  std::string("internal error while reading the series: ") + error.what());
    }
    SeriesLoad load;
    load.diagnostics = sink_.take_sorted();
    for (Diagnostic& diagnostic : csv_diagnostics_)
      load.diagnostics.push_back(std::move(diagnostic));
    if (load.diagnostics.empty()) {
      load.series = std::move(series_);
    } else {
      load.checkable = checkable();
    }
    return load;
  }

 private:
  void read_root(const toml::table& root) {
    TomlTableReader reader(root, sink_);
    if (auto id = reader.string("id", Need::required); id && detail::check_id(*id, sink_)) {
      series_.id = id->value;
    }
    if (auto title = reader.string("title", Need::required)) series_.title = title->value;
    read_timezone(reader);
    if (auto language = reader.string("language")) {
      if (auto parsed = parse_language(language->value)) {
        series_.language = *parsed;
      } else {
        sink_.error(language->pos,
                    "unknown language '" + language->value + "' (expected fi, sv or en)");
      }
    }
    if (auto description = reader.string("description")) series_.description = description->value;
    if (auto is_public = reader.boolean("public")) series_.is_public = *is_public;
    if (auto cancelled = reader.boolean("cancelled")) series_.cancelled = *cancelled;
    read_organiser(reader);
    std::optional<Located<std::string>> join_url = reader.string("join_url");
    detail::check_join_url(join_url, sink_);
    if (join_url) series_.join_url = join_url->value;
    if (auto alarm = detail::read_duration(reader, "calendar_alarm", Need::optional,
                                           /*positive=*/true)) {
      series_.calendar_alarm = alarm->value;
    }
    read_participants(reader);
    read_audience_and_webhooks(reader);
    read_templates(reader);
    if (const toml::table* invitation = reader.table("invitation")) {
      const std::size_t problems = sink_.size();
      series_.invitation = detail::parse_invitation(*invitation, sink_);
      invitation_clean_ = sink_.size() == problems;
    }
    series_.reminders = detail::parse_reminders(reader.tables("reminder"), sink_);
    read_sessions(reader);
    if (series_.cancelled) {
      for (Session& session : series_.sessions) session.cancelled = true;
    }
    reader.finish();
  }

  // The series with only the sessions that parsed cleanly (SeriesLoad::checkable).
  std::optional<Series> checkable() {
    if (!series_.zone) return std::nullopt;
    Series part = std::move(series_);
    std::vector<Session> sessions;
    for (std::size_t i = 0; i < part.sessions.size(); ++i) {
      if (clean_[i]) sessions.push_back(std::move(part.sessions[i]));
    }
    if (sessions.empty()) return std::nullopt;
    part.sessions = std::move(sessions);
    part.recurring.clear();  // its occurrence indexes were into the whole list
    if (!invitation_clean_) part.invitation.reset();
    return part;
  }

  void read_timezone(TomlTableReader& reader) {
    std::optional<Located<std::string>> name = reader.string("timezone", Need::required);
    if (!name) return;
    series_.timezone = name->value;
    series_.timezone_pos = name->pos;
    // date lists every file under /usr/share/zoneinfo, and there Debian's
    // "localtime" links to /etc/localtime: whatever zone the server is set
    // to, which moves every session when the server is reconfigured.
    if (name->value == "localtime") {
      sink_.error(name->pos,
                  "time zone 'localtime' is the server's own setting, not a zone of the "
                  "series; write its IANA name, like Europe/Helsinki");
      return;
    }
    try {
      series_.zone = date::locate_zone(name->value);
    } catch (const std::exception&) {
      // date reports an unknown name (and an unreadable tz database) by throwing.
      sink_.error(name->pos, "unknown time zone '" + name->value +
                                 "' (expected an IANA name like Europe/Helsinki)");
    }
  }

  void read_organiser(TomlTableReader& reader) {
    const toml::table* table = reader.table("organiser", Need::required);
    if (!table) return;
    TomlTableReader organiser(*table, sink_);
    if (auto name = organiser.string("name")) series_.organiser.name = name->value;
    if (auto email = organiser.string("email", Need::required)) {
      if (is_valid_email(email->value)) {
        series_.organiser.email = email->value;
      } else {
        sink_.error(email->pos, "'" + email->value + "' is not a valid e-mail address");
      }
    }
    organiser.finish();
  }

  void read_participants(TomlTableReader& reader) {
    std::optional<Located<std::string>> file = reader.string("participants");
    if (!file) return;
    std::filesystem::path resolved = path_.parent_path() / file->value;
    series_.participants_file = resolved;
    std::string text;
    if (csv_text_) {
      text = *csv_text_;
    } else {
      Result<std::string> read = read_input_file(resolved, kParticipantsCsv);
      if (!read) {
        sink_.error(file->pos, read.error().message);
        return;
      }
      text = std::move(*read);
    }
    ParticipantsLoad load = parse_participants_csv(text, resolved);
    series_.participants = std::move(load.participants);
    csv_diagnostics_ = std::move(load.diagnostics);
  }

  void read_audience_and_webhooks(TomlTableReader& reader) {
    if (const toml::node* node = reader.find("audience")) {
      if (auto roles = reader.strings("audience")) {
        if (roles->empty()) {
          sink_.error(position_of(*node),
                      "'audience' is empty, so nobody would be invited (leave it out to mean "
                      "everyone)");
        }
        series_.audience.emplace();
        for (Located<std::string>& role : *roles) series_.audience->push_back(role.value);
      }
    }
    if (auto names = reader.strings("webhooks")) {
      std::map<std::string, int> first_line;
      for (Located<std::string>& name : *names) {
        auto [first, inserted] = first_line.emplace(name.value, name.pos.line);
        if (name.value.empty()) {
          sink_.error(name.pos, "a webhook name cannot be empty");
        } else if (!inserted) {
          sink_.error(name.pos, "webhook '" + name.value + "' is listed twice");
        } else {
          series_.webhooks.push_back(NameRef{name.value, name.pos});
        }
      }
    }
  }

  void read_templates(TomlTableReader& reader) {
    std::optional<Located<std::string>> dir = reader.string("templates");
    if (!dir) return;
    std::filesystem::path resolved = path_.parent_path() / dir->value;
    std::error_code error;
    if (!std::filesystem::is_directory(resolved, error)) {
      sink_.error(dir->pos, "templates directory '" + resolved.string() + "' does not exist");
      return;
    }
    series_.templates_dir = resolved;
  }

  void read_sessions(TomlTableReader& reader) {
    std::vector<const toml::table*> tables = reader.tables("session");
    const toml::node* node = reader.find("session");
    if (tables.empty() && (!node || node->is_array())) {  // a non-array was reported already
      sink_.error(reader.pos(), "a series needs at least one [[session]]");
    }
    detail::SessionContext context;
    context.series_file = path_;
    context.zone = series_.zone;
    if (series_.zone) context.until = options_.until.in_zone(*series_.zone);
    std::map<std::string, int> first_line;  // session id -> line of its id
    auto check_unique = [&](const std::string& id, SourcePos pos) {
      auto [first, inserted] = first_line.emplace(id, pos.line);
      if (!inserted) {
        sink_.error(pos, "duplicate session id '" + id + "' (first defined on line " +
                             std::to_string(first->second) + ")");
      }
    };
    std::vector<std::size_t> with_start;
    series_.sessions.reserve(tables.size());
    for (const toml::table* table : tables) {
      const std::size_t problems = sink_.size();
      detail::ParsedSession parsed = detail::parse_session(*table, context, sink_);
      const bool clean = sink_.size() == problems;
      if (parsed.has_valid_id) check_unique(parsed.session.id, parsed.id_pos);
      if (!parsed.recurrence) {
        series_.sessions.push_back(std::move(parsed.session));
        clean_.push_back(clean);
        if (parsed.has_valid_start) with_start.push_back(series_.sessions.size() - 1);
        continue;
      }
      if (!parsed.has_valid_id || !parsed.has_valid_start) continue;
      RecurringSession& recurring = series_.recurring.emplace_back();
      recurring.id = parsed.session.id;
      recurring.recurrence = parsed.recurrence->recurrence;
      recurring.pos = parsed.session.pos;
      const date::local_seconds start = parsed.session.start.local;
      recurring.time_of_day = start - date::floor<date::days>(start);
      recurring.length = parsed.session.end.local - start;
      std::vector<Session> occurrences = detail::expand_occurrences(
          parsed.session, *parsed.recurrence, context, series_.recurring.size() - 1, sink_);
      const bool expanded_clean = clean && sink_.size() == problems;
      for (Session& occurrence : occurrences) {
        check_unique(occurrence.id, parsed.id_pos);
        recurring.occurrences.push_back(series_.sessions.size());
        with_start.push_back(series_.sessions.size());
        series_.sessions.push_back(std::move(occurrence));
        clean_.push_back(expanded_clean);
      }
    }
    if (!tables.empty() && series_.sessions.empty() && sink_.empty()) {
      sink_.error(reader.pos(), "no session takes place up to " +
                                    date::format("%F", context.until) +
                                    ", how far recurring sessions are planned");
    }
    check_invitation_time(with_start);
  }

  // send_at must precede the earliest session start written the same way
  // (both local or both with offsets); mixed forms need the zone rules and
  // are checked by the scheduler.
  void check_invitation_time(const std::vector<std::size_t>& sessions) {
    if (!series_.invitation || !series_.invitation->send_at) return;
    const WrittenTime& send_at = *series_.invitation->send_at;
    const WrittenTime* first = nullptr;
    for (std::size_t index : sessions) {
      const Session* session = &series_.sessions[index];
      if (!detail::order(session->start, send_at)) continue;
      if (!first || *detail::order(session->start, *first) < 0) first = &session->start;
    }
    if (first && *detail::order(send_at, *first) >= 0) {
      sink_.error(send_at.pos, "invitation send_at " + detail::format(send_at) +
                                   " is not before the first session's start " +
                                   detail::format(*first) + " (line " +
                                   std::to_string(first->pos.line) + ")");
    }
  }

  std::filesystem::path path_;
  std::optional<std::string_view> csv_text_;
  SeriesOptions options_;
  DiagnosticSink sink_;
  Diagnostics csv_diagnostics_;
  Series series_;
  // Parallel to series_.sessions: parsed without a problem of its own.
  std::vector<bool> clean_;
  bool invitation_clean_ = true;
};

}  // namespace

SeriesOptions SeriesOptions::from_clock() {
  return SeriesOptions{PlanUntil::horizon(
      date::floor<std::chrono::seconds>(std::chrono::system_clock::now()))};
}

SeriesLoad parse_series(std::string_view toml_text, const std::filesystem::path& path,
                        std::optional<std::string_view> participants_csv,
                        const SeriesOptions& options) {
  return SeriesReader(path, participants_csv, options).read(toml_text);
}

SeriesLoad load_series(const std::filesystem::path& path, const SeriesOptions& options) {
  Result<std::string> text = read_input_file(path, kSeriesFile);
  if (!text) {
    SeriesLoad load;
    load.diagnostics.push_back(Diagnostic{path.string(), SourcePos{}, text.error().message});
    return load;
  }
  return parse_series(*text, path, std::nullopt, options);
}

}  // namespace kutsu::agenda
