#include "importer/detail/text_grammar.h"

#include "importer/detail/text_tokens.h"
#include "importer/detail/text_words.h"

namespace kutsu::importer::detail {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// A position in a line's tokens with the few moves the grammar needs. Every
// read_* either consumes what it recognised and returns it, or leaves the
// position where it was.
class Cursor {
 public:
  Cursor(std::string_view line, std::vector<Token> tokens) : line_(line), tokens_(std::move(tokens)) {}

  bool done() const { return at_ >= tokens_.size(); }
  const Token* peek(std::size_t ahead = 0) const {
    return at_ + ahead < tokens_.size() ? &tokens_[at_ + ahead] : nullptr;
  }
  bool is(TokenKind kind, std::size_t ahead = 0) const {
    const Token* token = peek(ahead);
    return token != nullptr && token->kind == kind;
  }
  std::string folded(std::size_t ahead = 0) const {
    const Token* token = peek(ahead);
    return token != nullptr && token->kind == TokenKind::word ? fold_case(token->text) : std::string();
  }
  void skip(std::size_t n = 1) { at_ += n; }
  std::size_t mark() const { return at_; }
  void reset(std::size_t mark) { at_ = mark; }

  // The text from the current token to the last one, as written.
  std::string rest() const {
    if (done()) return {};
    return std::string(line_.substr(tokens_[at_].begin, tokens_.back().end - tokens_[at_].begin));
  }

 private:
  std::string_view line_;
  std::vector<Token> tokens_;
  std::size_t at_ = 0;
};

std::optional<unsigned> small_number(const Token* token, std::size_t max_digits) {
  if (token == nullptr || token->kind != TokenKind::number || token->text.size() > max_digits) return std::nullopt;
  unsigned value = 0;
  for (char c : token->text) value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

std::optional<int> year_at(const Cursor& cursor, std::size_t ahead = 0) {
  const Token* token = cursor.peek(ahead);
  if (token == nullptr || token->kind != TokenKind::number || token->text.size() != 4) return std::nullopt;
  return static_cast<int>(*small_number(token, 4));
}

// D.M. or D.M.YYYY (a year makes the last dot optional: "2.2.2022").
std::optional<WrittenDate> read_numeric_date(Cursor& c) {
  const auto day = small_number(c.peek(), 2);
  const auto month = small_number(c.peek(2), 2);
  if (!day || !c.is(TokenKind::dot, 1) || !month || !c.is(TokenKind::dot, 3)) return std::nullopt;
  if (*day < 1 || *day > 31 || *month < 1 || *month > 12) return std::nullopt;
  WrittenDate date{*day, *month, std::nullopt, std::nullopt, 0, c.peek()->column};
  c.skip(4);
  if (const auto year = year_at(c)) {
    date.year = *year;
    c.skip();
  }
  return date;
}

// D[.] month [YYYY]: "4. helmikuuta 2026", "4 februari 2026".
std::optional<WrittenDate> read_day_month(Cursor& c, std::vector<agenda::Language>& votes) {
  const auto day = small_number(c.peek(), 2);
  if (!day || *day < 1 || *day > 31) return std::nullopt;
  const std::size_t word_at = c.is(TokenKind::dot, 1) ? 2 : 1;
  const auto month = month_word(c.folded(word_at));
  if (!month) return std::nullopt;
  votes.push_back(month->language);
  WrittenDate date{*day, month->month, std::nullopt, std::nullopt, 0, c.peek()->column};
  c.skip(word_at + 1);
  if (const auto year = year_at(c)) {
    date.year = *year;
    c.skip();
  }
  return date;
}

// month D[,] [YYYY]: "February 4, 2026".
std::optional<WrittenDate> read_month_day(Cursor& c, std::vector<agenda::Language>& votes) {
  const auto month = month_word(c.folded());
  const auto day = small_number(c.peek(1), 2);
  if (!month || !day || *day < 1 || *day > 31) return std::nullopt;
  votes.push_back(month->language);
  WrittenDate date{*day, month->month, std::nullopt, std::nullopt, 0, c.peek()->column};
  c.skip(2);
  const std::size_t year_ahead = c.is(TokenKind::comma) ? 1 : 0;
  if (const auto year = year_at(c, year_ahead)) {
    date.year = *year;
    c.skip(year_ahead + 1);
  }
  return date;
}

// YYYY-MM-DD.
std::optional<WrittenDate> read_iso_date(Cursor& c) {
  const auto year = year_at(c);
  const auto month = small_number(c.peek(2), 2);
  const auto day = small_number(c.peek(4), 2);
  if (!year || !c.is(TokenKind::dash, 1) || !month || !c.is(TokenKind::dash, 3) || !day) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  WrittenDate date{*day, *month, *year, std::nullopt, 0, c.peek()->column};
  c.skip(5);
  return date;
}

std::optional<WrittenDate> read_date(Cursor& c, std::vector<agenda::Language>& votes) {
  if (auto date = read_iso_date(c)) return date;
  if (auto date = read_numeric_date(c)) return date;
  if (auto date = read_day_month(c, votes)) return date;
  return read_month_day(c, votes);
}

// H, H.MM or H:MM, with hours 0–24 and minutes 00–59.
std::optional<minutes> read_time(Cursor& c) {
  const auto hour = small_number(c.peek(), 2);
  if (!hour || *hour > 24) return std::nullopt;
  if ((c.is(TokenKind::dot, 1) || c.is(TokenKind::colon, 1)) && c.is(TokenKind::number, 2) &&
      c.peek(2)->text.size() == 2) {
    const auto minute = small_number(c.peek(2), 2);
    if (*minute > 59 || (*hour == 24 && *minute > 0)) return std::nullopt;
    // "16.3." is a date, not 16:03: a time's minutes are not followed by a dot and a number.
    if (c.is(TokenKind::dot, 3) && (c.is(TokenKind::number, 4) || c.peek(4) == nullptr)) return std::nullopt;
    c.skip(3);
    return hours(*hour) + minutes(*minute);
  }
  c.skip();
  return hours(*hour);
}

// The am/pm of English times: "6–7.30 pm".
void apply_meridiem(Cursor& c, WrittenTimes& times) {
  const std::string word = c.folded();
  if (word != "am" && word != "pm") return;
  c.skip();
  if (word == "am") return;
  const auto to_pm = [](minutes t) { return t < hours(12) ? t + hours(12) : t; };
  if (times.end) {
    const auto end = to_pm(*times.end);
    const auto start = to_pm(times.start);
    times.start = start <= end ? start : times.start;
    times.end = end;
  } else {
    times.start = to_pm(times.start);
  }
}

// [time word] time [(dash|to) time] [am|pm]. Without a time word or a
// range, a lone number is not taken for a time ("2 sessions").
std::optional<WrittenTimes> read_times(Cursor& c, std::vector<agenda::Language>& votes) {
  const std::size_t start_mark = c.mark();
  bool introduced = false;
  if (const auto language = time_word(c.folded())) {
    votes.push_back(*language);
    c.skip();
    if (c.is(TokenKind::dot)) c.skip();  // "kl."
    introduced = true;
  }
  WrittenTimes times;
  if (const Token* token = c.peek()) times.column = token->column;
  const std::size_t time_mark = c.mark();
  const auto start = read_time(c);
  if (!start) {
    c.reset(start_mark);
    return std::nullopt;
  }
  const bool written_with_minutes = c.mark() - time_mark == 3;
  times.start = *start;
  const std::size_t before_range = c.mark();
  if (c.is(TokenKind::dash) || range_word(c.folded())) {
    c.skip();
    if (c.is(TokenKind::word) && time_word(c.folded())) c.skip();  // "18 – klo 19.30"
    if (const auto end = read_time(c)) {
      times.end = *end;
    } else {
      c.reset(before_range);
    }
  }
  if (!introduced && !times.end && !written_with_minutes) {
    c.reset(start_mark);
    return std::nullopt;
  }
  apply_meridiem(c, times);
  return times;
}

// Punctuation between the times and the title: "klo 18–19.30: Title",
// "18:00–19:30 – Title", "kl. 18, Title".
void skip_separator(Cursor& c) {
  while (c.is(TokenKind::comma) || c.is(TokenKind::colon) || c.is(TokenKind::dash)) c.skip();
}

}  // namespace

std::optional<SessionLine> read_session_line(std::string_view line) {
  Cursor c(line, tokenize(line));
  SessionLine session;
  // A weekday, perhaps after a word that is also a weekday ("on Wednesday",
  // where "on" is Swedish for Wednesday).
  for (int words = 0; words < 2; ++words) {
    const auto weekday = weekday_word(c.folded());
    if (!weekday) break;
    if (words == 1 || !weekday_word(c.folded(1))) {
      session.date.weekday = weekday->day;
      session.date.weekday_column = c.peek()->column;
      session.language_votes.push_back(weekday->language);
    }
    c.skip();
    if (c.is(TokenKind::dot) || c.is(TokenKind::comma)) c.skip();
  }
  const auto weekday = session.date.weekday;
  const auto weekday_column = session.date.weekday_column;
  auto date = read_date(c, session.language_votes);
  if (!date) return std::nullopt;
  session.date = *date;
  session.date.weekday = weekday;
  session.date.weekday_column = weekday_column;
  if (c.is(TokenKind::comma)) c.skip();
  session.times = read_times(c, session.language_votes);
  skip_separator(c);
  session.title = c.rest();
  return session;
}

std::optional<TimetableLine> read_timetable_line(std::string_view line) {
  Cursor c(line, tokenize(line));
  std::vector<agenda::Language> votes;
  if (c.is(TokenKind::number) && !c.is(TokenKind::dot, 1) && !c.is(TokenKind::colon, 1) &&
      !c.is(TokenKind::dash, 1)) {
    return std::nullopt;  // "2 sessions", not a time
  }
  auto times = read_times(c, votes);
  if (!times) {
    // A lone "9.45" has minutes, so read_times took it; a lone "9" is not a time.
    return std::nullopt;
  }
  skip_separator(c);
  TimetableLine timetable{*times, c.rest()};
  if (timetable.text.empty()) return std::nullopt;
  return timetable;
}

}  // namespace kutsu::importer::detail
