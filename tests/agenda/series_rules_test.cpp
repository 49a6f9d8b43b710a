// Series-level rules of agenda-format.md: keys, types, ids, time zone,
// organiser, links, language, files, and that all problems are reported.
#include <filesystem>

#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "agenda/series_parser.h"
#include "series_test_support.h"

namespace kutsu::agenda {
namespace {

using testing::errors_in;
using testing::parse;
using testing::printed;
using testing::valid_series;
using Lines = std::vector<std::string>;

TEST(SeriesRules, MinimalSeriesParsesIntoTheModel) {
  Series series = valid_series(R"(id = "s"
title = "Sarja"
timezone = "Europe/Helsinki"
organiser = { name = "Liisa", email = "o@example.org" }
join_url = "https://example.org/zoom/s"

[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
)");
  EXPECT_EQ(series.id, "s");
  EXPECT_EQ(series.title, "Sarja");
  EXPECT_EQ(series.zone, date::locate_zone("Europe/Helsinki"));
  EXPECT_EQ(series.timezone_pos.line, 3);
  EXPECT_EQ(series.timezone_pos.column, 12);
  EXPECT_EQ(series.language, Language::fi);
  EXPECT_EQ(series.organiser.name, "Liisa");
  EXPECT_EQ(series.organiser.email, "o@example.org");
  EXPECT_EQ(series.join_url, "https://example.org/zoom/s");
  EXPECT_FALSE(series.audience.has_value());
  EXPECT_FALSE(series.invitation.has_value());
  ASSERT_EQ(series.sessions.size(), 1u);
  const Session& session = series.sessions[0];
  EXPECT_EQ(session.id, "a");
  EXPECT_EQ(session.pos.line, 7);
  EXPECT_EQ(date::format("%F %T", session.start.local), "2022-02-02 18:00:00");
  EXPECT_FALSE(session.start.utc_offset.has_value());
  EXPECT_EQ(session.start.pos.line, 9);
  EXPECT_EQ(session.start.pos.column, 9);
  EXPECT_EQ(date::format("%F %T", session.end.local), "2022-02-02 19:30:00");
  EXPECT_FALSE(session.reminders.has_value());
}

TEST(SeriesRules, ACancelledSeriesCancelsEverySession) {
  const Series series = valid_series(testing::series_with(R"(cancelled = true
[[session]]
id = "a"
title = "A"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:30:00
[[session]]
id = "b"
title = "B"
start = 2022-02-09T18:00:00
end = 2022-02-09T19:30:00
repeat = "FREQ=WEEKLY;COUNT=2"
)"));
  EXPECT_TRUE(series.cancelled);
  ASSERT_EQ(series.sessions.size(), 3u);
  for (const Session& session : series.sessions) EXPECT_TRUE(session.cancelled) << session.id;
  const Lines errors = errors_in(testing::series_with("cancelled = 1\n"));
  EXPECT_NE(std::find(errors.begin(), errors.end(),
                      "series.toml:5:13: error: 'cancelled' must be a boolean (true or false), not an integer"),
            errors.end())
      << errors.front();
}

TEST(SeriesRules, UnknownKeyIsReportedAtTheKeyWithASuggestion) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
  titel = "x"
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            Lines{"series.toml:5:3: error: unknown key 'titel' (did you mean 'title'?)"});
}

TEST(SeriesRules, UnknownKeyInsideAnInlineTableAndASession) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org", phone = "123" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
zoom = true
)"),
            (Lines{"series.toml:4:40: error: unknown key 'phone'",
                   "series.toml:9:1: error: unknown key 'zoom'"}));
}

TEST(SeriesRules, WrongTypeIsReportedAtTheValue) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = 2022
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
audience = "aluevaltuutettu"
[[session]]
id = "a"
start = "2022-02-02 18:00"
end = 2022-02-02T19:00:00
speakers = ["Anne", 3]
)"),
            (Lines{"series.toml:2:9: error: 'title' must be a string, not an integer",
                   "series.toml:5:12: error: 'audience' must be an array of strings, not a string",
                   "series.toml:8:9: error: 'start' must be a date-time (like "
                   "2022-02-02T18:00:00), not a string",
                   "series.toml:10:21: error: each item of 'speakers' must be a string, not an "
                   "integer"}));
}

TEST(SeriesRules, MissingRequiredKeysAreReportedAtTheirTable) {
  EXPECT_EQ(errors_in(R"(title = "T"
timezone = "Europe/Helsinki"
organiser = { name = "O" }

[[session]]
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            (Lines{"series.toml:1:1: error: missing required key 'id'",
                   "series.toml:3:13: error: missing required key 'email'",
                   "series.toml:5:1: error: missing required key 'id'"}));
}

TEST(SeriesRules, ASeriesNeedsASession) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
)"),
            Lines{"series.toml:1:1: error: a series needs at least one [[session]]"});
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
session = []
)"),
            Lines{"series.toml:1:1: error: a series needs at least one [[session]]"});
}

TEST(SeriesRules, SeriesIdMustMatchThePattern) {
  EXPECT_EQ(errors_in(R"(id = "Aluevaltuutetut 2022"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            Lines{"series.toml:1:6: error: id 'Aluevaltuutetut 2022' must be 1 to 64 characters "
                  "of a-z, 0-9 and '-', not starting with '-'"});
}

TEST(SeriesRules, IdLimitsAreSixtyFourCharactersAndNoLeadingDash) {
  std::string longest(64, 'a');
  std::string too_long(65, 'a');
  auto series_with_id = [](const std::string& id) {
    return "id = \"" + id +
           "\"\ntitle = \"T\"\ntimezone = \"UTC\"\norganiser = { email = \"o@example.org\" }\n"
           "[[session]]\nid = \"a\"\nstart = 2022-02-02T18:00:00\nend = 2022-02-02T19:00:00\n";
  };
  EXPECT_TRUE(parse(series_with_id(longest)).series.has_value());
  EXPECT_TRUE(parse(series_with_id("0-a-")).series.has_value());
  EXPECT_FALSE(parse(series_with_id(too_long)).series.has_value());
  EXPECT_FALSE(parse(series_with_id("-a")).series.has_value());
  EXPECT_FALSE(parse(series_with_id("")).series.has_value());
  EXPECT_FALSE(parse(series_with_id("a_b")).series.has_value());
}

TEST(SeriesRules, UnknownTimeZone) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsingfors"
organiser = { email = "o@example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            Lines{"series.toml:3:12: error: unknown time zone 'Europe/Helsingfors' (expected an "
                  "IANA name like Europe/Helsinki)"});
}

TEST(SeriesRules, LanguageMustBeFiSvOrEn) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
language = "de"
organiser = { email = "o@example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            Lines{"series.toml:4:12: error: unknown language 'de' (expected fi, sv or en)"});
  Series series = valid_series(R"(id = "s"
title = "T"
timezone = "Europe/Stockholm"
language = "sv"
organiser = { email = "o@example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)");
  EXPECT_EQ(series.language, Language::sv);
}

TEST(SeriesRules, OrganiserEmailMustBeAnAddress) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { name = "O", email = "webinaarit at example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            Lines{"series.toml:4:35: error: 'webinaarit at example.org' is not a valid e-mail "
                  "address"});
}

TEST(SeriesRules, JoinLinksMustBeHttps) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
join_url = "http://example.org/zoom"
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
join_url = "https://"
)"),
            (Lines{"series.toml:5:12: error: join link 'http://example.org/zoom' must be an "
                   "https:// URL",
                   "series.toml:10:12: error: join link 'https://' must be an https:// URL"}));
}

TEST(SeriesRules, AudienceAndWebhooksAreKeptWithPositions) {
  Series series = valid_series(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
audience = ["aluevaltuutettu", "varavaltuutettu"]
webhooks = ["tiimi", "chat"]
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)");
  EXPECT_EQ(series.audience, (std::vector<std::string>{"aluevaltuutettu", "varavaltuutettu"}));
  ASSERT_EQ(series.webhooks.size(), 2u);
  EXPECT_EQ(series.webhooks[1].name, "chat");
  EXPECT_EQ(series.webhooks[1].pos.line, 6);
  EXPECT_EQ(series.webhooks[1].pos.column, 22);
}

TEST(SeriesRules, EmptyAudienceAndRepeatedWebhookAreErrors) {
  EXPECT_EQ(errors_in(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
audience = []
webhooks = ["tiimi", "tiimi"]
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)"),
            (Lines{"series.toml:5:12: error: 'audience' is empty, so nobody would be invited "
                   "(leave it out to mean everyone)",
                   "series.toml:6:22: error: webhook 'tiimi' is listed twice"}));
}

TEST(SeriesRules, TemplatesDirectoryIsResolvedAgainstTheFileAndMustExist) {
  std::filesystem::path file = std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "x.toml";
  std::string_view head = R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)";
  SeriesLoad good =
      parse_series(std::string("templates = \"../tests\"\n") + std::string(head), file);
  ASSERT_TRUE(good.series.has_value()) << printed(good)[0];
  EXPECT_EQ(*good.series->templates_dir, file.parent_path() / "../tests");

  SeriesLoad bad =
      parse_series(std::string("templates = \"no-such-dir\"\n") + std::string(head), file);
  EXPECT_EQ(printed(bad),
            Lines{file.string() + ":1:13: error: templates directory '" +
                  (file.parent_path() / "no-such-dir").string() + "' does not exist"});
}

TEST(SeriesRules, ParticipantsFileIsReadRelativeToTheSeriesFile) {
  std::filesystem::path file = std::filesystem::path(KUTSU_SOURCE_DIR) / "examples" / "x.toml";
  std::string_view text = R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "missing.csv"
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)";
  SeriesLoad load = parse_series(text, file);
  std::filesystem::path csv = file.parent_path() / "missing.csv";
  EXPECT_EQ(printed(load), Lines{file.string() + ":5:16: error: cannot read '" + csv.string() +
                                 "': No such file or directory"});
}

TEST(SeriesRules, ParticipantProblemsAreReportedAgainstTheCsv) {
  SeriesLoad load = parse(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "people.csv"
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)",
                          "email,name\nanna@example.org,Anna\nANNA@example.org,Anna B\n");
  EXPECT_EQ(printed(load), Lines{"people.csv:3: error: duplicate participant 'ANNA@example.org' "
                                 "(first on line 2)"});
  EXPECT_FALSE(load.series.has_value());
}

TEST(SeriesRules, ParticipantsAreLoadedIntoTheSeries) {
  Series series =
      valid_series(R"(id = "s"
title = "T"
timezone = "Europe/Helsinki"
organiser = { email = "o@example.org" }
participants = "people.csv"
audience = ["aluevaltuutettu"]
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T19:00:00
)",
                   "email,roles\nanna@example.org,aluevaltuutettu\nbo@example.org,toimisto\n");
  EXPECT_EQ(series.participants_file, std::filesystem::path("people.csv"));
  ASSERT_EQ(series.participants.size(), 2u);
  EXPECT_TRUE(series.in_audience(series.participants[0]));
  EXPECT_FALSE(series.in_audience(series.participants[1]));
}

TEST(SeriesRules, TomlSyntaxErrorIsReportedAtTomlppsPosition) {
  // The unclosed string runs into the line break at column 11.
  EXPECT_EQ(errors_in("id = \"s\"\ntitle = \"T\nx = 1\n"),
            Lines{"series.toml:2:11: error: Error while parsing string: unescaped control "
                  "characters other than TAB (U+0009) are explicitly prohibited"});
  EXPECT_EQ(errors_in("id = \"s\"\nid = \"t\"\n"),
            Lines{"series.toml:2:6: error: Error while parsing key-value pair: cannot redefine "
                  "existing string 'id'"});
}

TEST(SeriesRules, ManyProblemsInOneFileAreAllReportedInFileOrder) {
  EXPECT_EQ(errors_in(R"(id = "S"
title = "T"
timezone = "Mars/Olympus"
organiser = { email = "nobody" }
colour = "red"
[[reminder]]
before = "P0D"
[[session]]
id = "a"
start = 2022-02-02T18:00:00
end = 2022-02-02T17:00:00
[[session]]
id = "a"
start = 2022-02-03T18:00:00
duration = "PT1X"
)"),
            (Lines{
                "series.toml:1:6: error: id 'S' must be 1 to 64 characters of a-z, 0-9 and '-', "
                "not starting with '-'",
                "series.toml:3:12: error: unknown time zone 'Mars/Olympus' (expected an IANA "
                "name like Europe/Helsinki)",
                "series.toml:4:23: error: 'nobody' is not a valid e-mail address",
                "series.toml:5:1: error: unknown key 'colour'",
                "series.toml:7:10: error: 'before' must be a positive duration, not 'P0D'",
                "series.toml:11:7: error: session end 2022-02-02T17:00:00 is not after its start "
                "2022-02-02T18:00:00",
                "series.toml:13:6: error: duplicate session id 'a' (first defined on line 9)",
                "series.toml:15:12: error: invalid duration 'PT1X': unexpected 'X' (the time "
                "part takes H, M and S, in that order)",
            }));
}

TEST(SeriesRules, LoadSeriesReportsAMissingFileWithoutPosition) {
  SeriesLoad load = load_series("/nonexistent/kutsu/series.toml");
  EXPECT_EQ(printed(load), Lines{"/nonexistent/kutsu/series.toml: error: cannot read "
                                 "'/nonexistent/kutsu/series.toml': No such file or directory"});
  EXPECT_FALSE(load.series.has_value());
}

}  // namespace
}  // namespace kutsu::agenda
