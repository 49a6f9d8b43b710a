// The grammar of the announcement importer: the two kinds of line that carry
// times, read from the tokens of text_tokens.h.
//
//   session line   := [weekday [.|,]] date [,] [times] [separator] title
//   date           := D.M.[YYYY] | D[.] month [YYYY] | month D[,] [YYYY] | YYYY-MM-DD
//   times          := [klo|kello|kl.|at|from] time [(dash|to) time] [am|pm]
//   time           := H | H.MM | H:MM
//   timetable line := [klo|…] time [dash time] [separator] text
//
// The grammar only recognises shapes; whether a date exists, whether the
// weekday fits it and which year a year-less date is in are decided by the
// importer, which knows the lines before. Columns are those of the tokens,
// for diagnostics.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agenda/language.h"

namespace kutsu::importer::detail {

struct WrittenDate {
  unsigned day = 0;
  unsigned month = 0;
  std::optional<int> year;
  std::optional<std::chrono::weekday> weekday;
  int weekday_column = 0;
  int column = 0;  // of the day (or month) number
};

struct WrittenTimes {
  std::chrono::minutes start{};
  std::optional<std::chrono::minutes> end;
  int column = 0;
};

struct SessionLine {
  WrittenDate date;
  std::optional<WrittenTimes> times;
  std::string title;  // the rest of the line, as written; may be empty
  // The languages the line's words belong to, one vote per word, to guess
  // the series language.
  std::vector<agenda::Language> language_votes;
};

// A line that opens with a date (optionally after a weekday). nullopt for
// any other line.
std::optional<SessionLine> read_session_line(std::string_view line);

struct TimetableLine {
  WrittenTimes times;
  std::string text;
};

// A line that opens with a time (optionally after "klo") and has text after
// it. A date is not a time: "16.3. …" is not a timetable line.
std::optional<TimetableLine> read_timetable_line(std::string_view line);

}  // namespace kutsu::importer::detail
