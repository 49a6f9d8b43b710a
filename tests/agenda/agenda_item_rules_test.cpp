// [[session.agenda]] rules: bare times take the session's date, items lie
// inside their session, end after they start and do not overlap.
#include <gtest/gtest.h>

#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::series_with;
using testing::valid_series;
using Lines = std::vector<std::string>;

// Lines 5-8 of every test: a seminar day 10-15.
constexpr std::string_view kSeminar = R"([[session]]
id = "seminaari"
start = 2022-03-26T10:00:00
end = 2022-03-26T15:00:00
)";

std::string seminar_with(std::string_view items) {
  return series_with(std::string(kSeminar) + std::string(items));
}

TEST(AgendaItemRules, BareTimesTakeTheSessionsDateAndPointItemsHaveNoEnd) {
  Series series = valid_series(seminar_with(R"(  [[session.agenda]]
  start = 10:00:00
  end = 10:20:00
  title = "Tilaisuuden avaus"
  [[session.agenda]]
  start = 2022-03-26T12:00:00
  end = 12:45:00
  title = "Lounastauko"
  kind = "meal"
  speakers = []
  [[session.agenda]]
  start = 14:55:00
  title = "Tilaisuuden päätös"
  kind = "other"
)"));
  const std::vector<AgendaItem>& agenda = series.sessions.at(0).agenda;
  ASSERT_EQ(agenda.size(), 3u);
  EXPECT_EQ(date::format("%FT%T", agenda[0].start.local), "2022-03-26T10:00:00");
  EXPECT_EQ(date::format("%FT%T", agenda[0].end->local), "2022-03-26T10:20:00");
  EXPECT_EQ(agenda[0].kind, AgendaItemKind::talk);
  EXPECT_EQ(agenda[0].pos.line, 9);
  EXPECT_EQ(agenda[0].start.pos.line, 10);
  EXPECT_EQ(agenda[0].start.pos.column, 11);
  EXPECT_EQ(agenda[1].kind, AgendaItemKind::meal);
  EXPECT_EQ(date::format("%FT%T", agenda[1].end->local), "2022-03-26T12:45:00");
  EXPECT_EQ(agenda[2].title, "Tilaisuuden päätös");
  EXPECT_FALSE(agenda[2].end.has_value());
  EXPECT_EQ(agenda[2].kind, AgendaItemKind::other);
}

TEST(AgendaItemRules, ItemMustNotStartBeforeItsSession) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = 09:45:00
  end = 10:00:00
  title = "Linjat avataan"
)")),
            Lines{"series.toml:10:11: error: agenda item 'Linjat avataan' starts at "
                  "2022-03-26T09:45:00, before its session starts (2022-03-26T10:00:00)"});
}

TEST(AgendaItemRules, ItemMustNotEndAfterItsSession) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = 14:55:00
  end = 15:10:00
  title = "Kyselytunti"
  [[session.agenda]]
  start = 15:30:00
  title = "Jatkot"
)")),
            (Lines{"series.toml:11:9: error: agenda item 'Kyselytunti' ends at "
                   "2022-03-26T15:10:00, after its session ends (2022-03-26T15:00:00)",
                   "series.toml:14:11: error: agenda item 'Jatkot' ends at 2022-03-26T15:30:00, "
                   "after its session ends (2022-03-26T15:00:00)"}));
}

TEST(AgendaItemRules, ItemsMayTouchTheSessionsEdges) {
  valid_series(seminar_with(R"(  [[session.agenda]]
  start = 10:00:00
  end = 15:00:00
  title = "Koko päivä"
  [[session.agenda]]
  start = 15:00:00
  title = "Päätös"
)"));
}

TEST(AgendaItemRules, ItemMustEndAfterItStarts) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = 11:00:00
  end = 10:50:00
  title = "Tauko"
)")),
            Lines{"series.toml:11:9: error: agenda item 'Tauko' ends at 2022-03-26T10:50:00, not "
                  "after its start 2022-03-26T11:00:00"});
}

TEST(AgendaItemRules, OverlappingItemsNameTheEarlierOne) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = 11:00:00
  end = 12:00:00
  title = "Pienryhmäkeskustelu"
  [[session.agenda]]
  start = 11:45:00
  end = 12:45:00
  title = "Lounastauko"
)")),
            Lines{"series.toml:14:11: error: agenda item 'Lounastauko' overlaps "
                  "'Pienryhmäkeskustelu' (line 9)"});
}

TEST(AgendaItemRules, APointInsideAnotherItemOverlapsIt) {
  EXPECT_EQ(
      errors_in(seminar_with(R"(  [[session.agenda]]
  start = 14:25:00
  end = 14:55:00
  title = "Kyselytunti"
  [[session.agenda]]
  start = 14:30:00
  title = "Päätös"
)")),
      Lines{"series.toml:14:11: error: agenda item 'Päätös' overlaps 'Kyselytunti' (line 9)"});
}

TEST(AgendaItemRules, AdjacentItemsInAnyOrderDoNotOverlap) {
  Series series = valid_series(seminar_with(R"(  [[session.agenda]]
  start = 10:50:00
  end = 11:00:00
  title = "Tauko"
  [[session.agenda]]
  start = 10:20:00
  end = 10:50:00
  title = "Hyvinvointistrategiaprosessi"
  [[session.agenda]]
  start = 11:00:00
  title = "Päätös"
)"));
  EXPECT_EQ(series.sessions.at(0).agenda.size(), 3u);
}

TEST(AgendaItemRules, TitleIsRequiredAndKindMustBeKnown) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = 10:00:00
  end = 10:20:00
  [[session.agenda]]
  start = 12:00:00
  end = 12:45:00
  title = "Lounas"
  kind = "lunch"
)")),
            (Lines{"series.toml:9:3: error: missing required key 'title'",
                   "series.toml:16:10: error: unknown agenda item kind 'lunch' (expected talk, "
                   "break, meal, discussion, culture or other)"}));
}

TEST(AgendaItemRules, ItemTimesMustBeTimes) {
  EXPECT_EQ(errors_in(seminar_with(R"(  [[session.agenda]]
  start = "10.00"
  title = "Avaus"
)")),
            Lines{"series.toml:10:11: error: 'start' must be a date-time (2022-03-26T10:00:00) or "
                  "a time of day (10:00:00), not a string"});
}

TEST(AgendaItemRules, EveryKindName) {
  Series series = valid_series(seminar_with(R"(  [[session.agenda]]
  start = 10:00:00
  title = "a"
  kind = "talk"
  [[session.agenda]]
  start = 10:01:00
  title = "b"
  kind = "break"
  [[session.agenda]]
  start = 10:02:00
  title = "c"
  kind = "meal"
  [[session.agenda]]
  start = 10:03:00
  title = "d"
  kind = "discussion"
  [[session.agenda]]
  start = 10:04:00
  title = "e"
  kind = "culture"
  [[session.agenda]]
  start = 10:05:00
  title = "f"
  kind = "other"
)"));
  std::vector<std::string> kinds;
  for (const AgendaItem& item : series.sessions.at(0).agenda) {
    kinds.emplace_back(to_string(item.kind));
  }
  EXPECT_EQ(kinds, (Lines{"talk", "break", "meal", "discussion", "culture", "other"}));
}

}  // namespace
}  // namespace kutsu::agenda
