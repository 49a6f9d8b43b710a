#include "importer/text_import.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "importer/detail/join_link.h"
#include "importer/detail/paragraphs.h"
#include "importer/detail/session_id.h"
#include "importer/detail/speaker_names.h"
#include "importer/detail/text_grammar.h"
#include "importer/detail/text_tokens.h"
#include "importer/detail/text_words.h"

namespace kutsu::importer {
namespace {

using detail::joined;
using detail::Paragraphs;
using detail::SessionLine;
using detail::TimetableLine;
using detail::WrittenDate;
using std::chrono::local_days;
using std::chrono::minutes;

constexpr std::string_view kDefaultZone = "Europe/Helsinki";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string date_words(local_days day) {
  const std::chrono::year_month_day ymd{day};
  return std::to_string(static_cast<unsigned>(ymd.day())) + "." + std::to_string(static_cast<unsigned>(ymd.month())) +
         "." + std::to_string(static_cast<int>(ymd.year()));
}

constexpr std::array<std::string_view, 7> kWeekdayNames{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                        "Thursday", "Friday", "Saturday"};

struct TimetableEntry {
  TimetableLine line;
  int line_number;
};

// A session as it is read: its line, the text and timetable after it.
struct SessionBlock {
  DraftSession session;
  local_days day{};
  std::optional<detail::WrittenTimes> times;
  Paragraphs description;
  std::vector<TimetableEntry> timetable;
  Paragraphs after_timetable;
};

class AnnouncementReader {
 public:
  AnnouncementReader(std::string file, const ImportOptions& options) : file_(std::move(file)), options_(options) {}

  ImportLoad read(std::string_view text) {
    lines_ = split_lines(text);
    for (std::size_t i = 0; i < lines_.size(); ++i) read_line(i);
    finish_session();
    return finish();
  }

 private:
  void error(int line, int column, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, {line, column}, std::move(message)});
  }

  void read_line(std::size_t i) {
    if (consumed_.count(i) != 0) return;
    const std::string_view line = trim(lines_[i]);
    const int number = static_cast<int>(i) + 1;
    if (line.empty()) {
      end_paragraph();
      return;
    }
    // The grammar reads the untrimmed line, so columns are those an editor shows.
    if (auto session = detail::read_session_line(lines_[i])) {
      if (session->times || timetable_follows(i)) {
        start_session(std::move(*session), i);
        return;
      }
      notes_.push_back("Line " + std::to_string(number) +
                       " starts with a date but gives no time; it was kept as text: " + std::string(line));
    }
    if (current_) {
      if (auto timetable = detail::read_timetable_line(lines_[i])) {
        timetable->text = std::string(trim(timetable->text));
        current_->timetable.push_back(TimetableEntry{std::move(*timetable), number});
        return;
      }
    }
    add_text(line);
  }

  bool timetable_follows(std::size_t i) const {
    for (std::size_t j = i + 1; j < lines_.size(); ++j) {
      const auto line = trim(lines_[j]);
      if (line.empty()) continue;
      return detail::read_timetable_line(line).has_value();
    }
    return false;
  }

  void end_paragraph() {
    if (!current_) {
      preamble_.end_paragraph();
    } else if (current_->timetable.empty()) {
      current_->description.end_paragraph();
    } else {
      current_->after_timetable.end_paragraph();
    }
  }

  // Text before the first session describes the series; text after a
  // session's line describes it, until a timetable closes it.
  void add_text(std::string_view line) {
    if (!current_) {
      preamble_.add_line(line);
    } else if (current_->timetable.empty()) {
      current_->description.add_line(line);
    } else {
      current_->after_timetable.add_line(line);
    }
  }

  void start_session(SessionLine line, std::size_t index) {
    finish_session();
    const int number = static_cast<int>(index) + 1;
    votes_.insert(votes_.end(), line.language_votes.begin(), line.language_votes.end());
    current_.emplace();
    current_->session.source_line = number;
    current_->times = line.times;
    current_->session.title = std::string(trim(line.title));
    if (current_->session.title.empty()) take_title_from_next_line(index);
    if (auto day = resolve_date(line.date, number)) current_->day = *day;
  }

  // "Keskiviikkona 4.2.2026 klo 18–19.30" alone on its line: the title is
  // the next line, unless that is a timetable.
  void take_title_from_next_line(std::size_t index) {
    for (std::size_t j = index + 1; j < lines_.size(); ++j) {
      const auto line = trim(lines_[j]);
      if (line.empty()) continue;
      if (!detail::read_timetable_line(line) && !detail::read_session_line(line)) {
        current_->session.title = std::string(line);
        consumed_.insert(j);
      }
      return;
    }
  }

  std::optional<local_days> resolve_date(const WrittenDate& written, int line) {
    using namespace std::chrono;
    int year_value = 0;
    if (written.year) {
      year_value = *written.year;
    } else if (last_day_) {
      year_value = static_cast<int>(year_month_day{*last_day_}.year());
      const year_month_day same_year{year{year_value}, month{written.month}, day{written.day}};
      if (same_year.ok() && local_days{same_year} < *last_day_) {
        ++year_value;  // "14.12.2026 … 11.1." runs into the next year
        notes_.push_back("Line " + std::to_string(line) + ": the date without a year is read as " +
                         std::to_string(year_value) + ", after the date before it.");
      }
    } else if (options_.year) {
      year_value = *options_.year;
    } else {
      const year_month_day today{options_.today};
      year_value = static_cast<int>(today.year());
      const year_month_day this_year{today.year(), month{written.month}, day{written.day}};
      if (this_year.ok() && sys_days{this_year} < options_.today) ++year_value;
      notes_.push_back("The text gives no year before line " + std::to_string(line) + "; dates are read as the next " +
                       "such dates from today (" + std::to_string(year_value) + "). Use --year to choose the year.");
    }
    const year_month_day ymd{year{year_value}, month{written.month}, day{written.day}};
    if (!ymd.ok()) {
      error(line, written.column,
            "there is no such date: " + std::to_string(written.day) + "." + std::to_string(written.month) + "." +
                std::to_string(year_value));
      return std::nullopt;
    }
    const local_days result{ymd};
    if (written.weekday && weekday{result} != *written.weekday) {
      error(line, written.weekday_column,
            "the weekday does not match the date: " + date_words(result) + " is a " +
                std::string(kWeekdayNames[weekday{result}.c_encoding()]) + ", not a " +
                std::string(kWeekdayNames[written.weekday->c_encoding()]));
    }
    last_day_ = result;
    return result;
  }

  // The timetable becomes agenda items; a lone "9.45 Linjat avataan" the
  // doors-open time; a lone time at the end the closing time. An item
  // written with its start only lasts until the next one starts.
  void read_timetable(SessionBlock& block, std::optional<minutes>& closing) {
    auto& items = block.session.agenda;
    for (std::size_t k = 0; k < block.timetable.size(); ++k) {
      const auto& entry = block.timetable[k].line;
      const bool lone = !entry.times.end;
      if (lone && items.empty() && detail::says_doors_open(entry.text)) {
        block.session.doors_open = block.day + entry.times.start;
        continue;
      }
      const bool last = k + 1 == block.timetable.size();
      DraftAgendaItem item;
      item.start = entry.times.start;
      item.end = entry.times.end;
      item.title = entry.text;
      item.kind = detail::item_kind(entry.text);
      item.speakers = detail::speaker_names(entry.text);
      if (lone && (last || detail::says_closing(entry.text))) {
        closing = entry.times.start;
        item.kind = agenda::AgendaItemKind::other;
        if (!items.empty() && !items.back().end) items.back().end = entry.times.start;
      } else if (!items.empty() && !items.back().end) {
        items.back().end = item.start;
      }
      items.push_back(std::move(item));
    }
  }

  void finish_session() {
    if (!current_) return;
    SessionBlock& block = *current_;
    DraftSession& session = block.session;
    const int line = session.source_line;
    std::optional<minutes> closing;
    read_timetable(block, closing);

    std::optional<minutes> start;
    std::optional<minutes> end;
    if (block.times) {
      start = block.times->start;
      end = block.times->end;
    }
    if (!start && !session.agenda.empty()) start = session.agenda.front().start;
    if (!end && !session.agenda.empty()) {
      end = closing ? closing : session.agenda.back().end;
      if (end) session.notes.push_back("The end time is taken from the timetable.");
    }
    if (start) {
      session.start = block.day + *start;
      if (end && *end > *start) {
        session.end = block.day + *end;
      } else if (end) {
        error(line, block.times ? block.times->column : 0,
              "the session ends before it starts (" + std::to_string(start->count() / 60) + "." +
                  std::to_string(start->count() % 60 / 10) + std::to_string(start->count() % 10) + " to " +
                  std::to_string(end->count() / 60) + "." + std::to_string(end->count() % 60 / 10) +
                  std::to_string(end->count() % 10) + ")");
      } else {
        session.duration = std::chrono::hours(1);
        session.notes.push_back("TODO: the announcement gives no end time; the duration is a guess.");
      }
    }

    session.description = joined(block.description.list());
    if (!block.after_timetable.empty()) {
      for (const auto& paragraph : block.after_timetable.list()) trailer_.push_back(paragraph);
    }
    for (auto name : detail::speaker_names(session.description)) add_speaker(session, std::move(name));
    for (const auto& item : session.agenda) {
      for (const auto& name : item.speakers) add_speaker(session, name);
    }
    if (auto link = detail::meeting_link(session.description)) session.join_url = *link;
    if (session.title.empty()) {
      session.title = "TODO";
      session.notes.push_back("TODO: the session line has no title.");
    }
    sessions_.push_back(std::move(block));
    current_.reset();
  }

  static void add_speaker(DraftSession& session, std::string name) {
    if (std::find(session.speakers.begin(), session.speakers.end(), name) == session.speakers.end()) {
      session.speakers.push_back(std::move(name));
    }
  }

  // When every session but the last has one paragraph of description, the
  // last one's further paragraphs are the announcement's closing words.
  void move_closing_words() {
    if (sessions_.size() < 2) return;
    auto& last = sessions_.back();
    auto& paragraphs = last.description.list();
    if (paragraphs.size() < 2 || !last.timetable.empty()) return;
    for (std::size_t i = 0; i + 1 < sessions_.size(); ++i) {
      if (sessions_[i].description.list().size() > 1) return;
    }
    for (std::size_t i = 1; i < paragraphs.size(); ++i) trailer_.push_back(paragraphs[i]);
    paragraphs.resize(1);
    last.session.description = paragraphs.front();
    notes_.push_back("The paragraphs after the last session's description were read as words about the whole "
                     "series and added to its description.");
  }

  agenda::Language language() const {
    if (options_.language) return *options_.language;
    std::map<agenda::Language, int> counts;
    for (const auto vote : votes_) ++counts[vote];
    agenda::Language best = agenda::Language::fi;
    int best_count = 0;
    for (const auto& [language, count] : counts) {
      if (count > best_count) best = language, best_count = count;
    }
    return best;
  }

  ImportLoad finish() {
    ImportLoad load;
    if (sessions_.empty() && diagnostics_.empty()) {
      error(1, 0,
            "no session found: a session is a line that starts with a date and a time, such as "
            "\"Ke 2.2.2022 klo 18-19.30 Title\"");
    }
    if (!diagnostics_.empty()) {
      std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                       [](const Diagnostic& a, const Diagnostic& b) { return a.pos.line < b.pos.line; });
      load.diagnostics = std::move(diagnostics_);
      return load;
    }
    move_closing_words();

    DraftSeries draft;
    draft.id = options_.id;
    draft.timezone = options_.timezone.empty() ? std::string(kDefaultZone) : options_.timezone;
    draft.language = language();
    if (options_.timezone.empty()) {
      notes_.insert(notes_.begin(), "Times are read in " + std::string(kDefaultZone) + "; use --timezone to choose another.");
    }
    draft.notes = std::move(notes_);

    auto& preamble = preamble_.list();
    std::size_t description_from = 0;
    // A short first line that is not a sentence is the series title.
    if (!preamble.empty() && preamble.front().find('\n') == std::string::npos && preamble.front().size() <= 120 &&
        std::string_view(".?!:").find(preamble.front().back()) == std::string_view::npos) {
      draft.title = preamble.front();
      description_from = 1;
    }
    std::vector<std::string> description(preamble.begin() + static_cast<std::ptrdiff_t>(description_from),
                                         preamble.end());
    description.insert(description.end(), trailer_.begin(), trailer_.end());
    draft.description = joined(description);

    const std::string preamble_text = joined(preamble);
    const auto series_speakers = detail::speaker_names(preamble_text);
    if (auto link = detail::meeting_link(preamble_text)) draft.join_url = *link;
    const std::string platform = detail::online_platform(preamble_text);

    std::set<std::string> taken;
    for (auto& block : sessions_) {
      DraftSession& session = block.session;
      std::vector<std::string> speakers = series_speakers;
      for (auto& name : session.speakers) {
        if (std::find(speakers.begin(), speakers.end(), name) == speakers.end()) speakers.push_back(std::move(name));
      }
      session.speakers = std::move(speakers);
      if (session.location.empty() && !platform.empty()) session.location = platform;
      session.id = detail::session_id(session.title, taken);
      draft.sessions.push_back(std::move(session));
    }
    load.draft = std::move(draft);
    return load;
  }

  std::string file_;
  const ImportOptions& options_;
  std::vector<std::string_view> lines_;
  std::set<std::size_t> consumed_;
  Paragraphs preamble_;
  std::vector<std::string> trailer_;
  std::optional<SessionBlock> current_;
  std::vector<SessionBlock> sessions_;
  std::optional<local_days> last_day_;
  std::vector<agenda::Language> votes_;
  std::vector<std::string> notes_;
  Diagnostics diagnostics_;
};

}  // namespace

ImportLoad import_text(std::string_view text, const std::string& file, const ImportOptions& options) {
  return AnnouncementReader(file, options).read(text);
}

}  // namespace kutsu::importer
