// The participants CSV: RFC 4180 records, header and columns, and the row
// rules, each with the line number a user sees.
#include "agenda/participants_csv.h"

#include <gtest/gtest.h>

#include <date/tz.h>

namespace kutsu::agenda {
namespace {

using Lines = std::vector<std::string>;

ParticipantsLoad load(std::string_view csv) { return parse_participants_csv(csv, "people.csv"); }

Lines errors_in(std::string_view csv) {
  Lines lines;
  for (const Diagnostic& diagnostic : load(csv).diagnostics)
    lines.push_back(diagnostic.to_string());
  return lines;
}

TEST(ParticipantsCsv, ReadsEveryColumn) {
  ParticipantsLoad result = load(
      "email,name,roles,language,join_url\n"
      "aino@example.org,Aino Virtanen, aluevaltuutettu ; toimisto ;,fi,\n"
      "elin@example.org,Elin Lindqvist,varavaltuutettu,sv,https://example.org/zoom/x?pwd=elin\n"
      "toni@example.org,,,,\n");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 3u);
  const Participant& aino = result.participants[0];
  EXPECT_EQ(aino.email, "aino@example.org");
  EXPECT_EQ(aino.name, "Aino Virtanen");
  EXPECT_EQ(aino.roles, (Lines{"aluevaltuutettu", "toimisto"}));
  EXPECT_EQ(aino.language, Language::fi);
  EXPECT_FALSE(aino.join_url.has_value());
  EXPECT_EQ(aino.line, 2);
  EXPECT_EQ(result.participants[1].language, Language::sv);
  EXPECT_EQ(result.participants[1].join_url, "https://example.org/zoom/x?pwd=elin");
  const Participant& toni = result.participants[2];
  EXPECT_EQ(toni.name, "");
  EXPECT_TRUE(toni.roles.empty());
  EXPECT_FALSE(toni.language.has_value());
  EXPECT_EQ(toni.line, 4);
}

TEST(ParticipantsCsv, ATimeZoneColumnNamesThePersonsOwnZone) {
  ParticipantsLoad result = load(
      "email,timezone\n"
      "aino@example.org,\n"
      "john@example.org,America/New_York\n"
      "elin@example.org, Europe/Stockholm \n");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 3u);
  EXPECT_EQ(result.participants[0].zone, nullptr);
  ASSERT_NE(result.participants[1].zone, nullptr);
  EXPECT_EQ(result.participants[1].zone->name(), "America/New_York");
  EXPECT_EQ(result.participants[2].zone->name(), "Europe/Stockholm");
  EXPECT_EQ(errors_in("email,timezone\na@example.org,Mars/Base\nb@example.org,localtime\n"),
            (Lines{"people.csv:2: error: unknown time zone 'Mars/Base' (expected an IANA name like "
                   "Europe/Stockholm)",
                   "people.csv:3: error: unknown time zone 'localtime' (expected an IANA name like "
                   "Europe/Stockholm)"}));
}

TEST(ParticipantsCsv, ColumnsInAnyOrderAndOnlyEmailRequired) {
  ParticipantsLoad result = load("roles,Email\r\nvaravaltuutettu,bo@example.org\r\n");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 1u);
  EXPECT_EQ(result.participants[0].email, "bo@example.org");
  EXPECT_EQ(result.participants[0].roles, Lines{"varavaltuutettu"});
}

TEST(ParticipantsCsv, QuotedFieldsHoldCommasAndDoubledQuotes) {
  ParticipantsLoad result = load(
      "email,name\n"
      "matti@example.org,\"Meikäläinen, Matti \"\"Masa\"\"\"\n"
      "\"liisa@example.org\",\"\"\n");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 2u);
  EXPECT_EQ(result.participants[0].name, "Meikäläinen, Matti \"Masa\"");
  EXPECT_EQ(result.participants[1].email, "liisa@example.org");
  EXPECT_EQ(result.participants[1].name, "");
}

TEST(ParticipantsCsv, LineBreaksInsideQuotesKeepLineNumbersRight) {
  // The second record spans lines 2-5; the next one starts on line 6.
  ParticipantsLoad result = load(
      "email,name,roles\n"
      "anna@example.org,\"Anna\nMaria\r\nKorhonen\",\"aluevaltuutettu;\nvaravaltuutettu\"\n"
      "anna@EXAMPLE.org,Anna K,\n");
  ASSERT_EQ(result.participants.size(), 1u);
  EXPECT_EQ(result.participants[0].line, 2);
  // A display name goes on one header line: the cell's line breaks become spaces.
  EXPECT_EQ(result.participants[0].name, "Anna Maria Korhonen");
  EXPECT_EQ(result.participants[0].roles, (Lines{"aluevaltuutettu", "varavaltuutettu"}));
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "people.csv:6: error: duplicate participant 'anna@EXAMPLE.org' (first on line 2)");
}

TEST(ParticipantsCsv, ByteOrderMarkAndCrLfAreTolerated) {
  ParticipantsLoad result = load(
      "\xEF\xBB\xBF"
      "email,name\r\nbo@example.org,Bo\r\n\r\n");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 1u);
  EXPECT_EQ(result.participants[0].name, "Bo");
}

TEST(ParticipantsCsv, BlankLinesAreSkipped) {
  ParticipantsLoad result = load("email\n\na@example.org\n\nb@example.org");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].to_string();
  ASSERT_EQ(result.participants.size(), 2u);
  EXPECT_EQ(result.participants[1].line, 5);
}

TEST(ParticipantsCsv, HeaderIsRequired) {
  EXPECT_EQ(errors_in(""), Lines{"people.csv:1: error: missing header row (columns: email, name, "
                                 "roles, language, join_url, timezone)"});
  EXPECT_EQ(errors_in("\xEF\xBB\xBF"), Lines{"people.csv:1: error: missing header row (columns: "
                                             "email, name, roles, language, join_url, timezone)"});
  EXPECT_EQ(errors_in("name,roles\nAnna,x\n"),
            Lines{"people.csv:1: error: missing required column 'email'"});
}

TEST(ParticipantsCsv, UnknownAndRepeatedColumnsAreErrors) {
  EXPECT_EQ(errors_in("email,puhelin,name,Name\na@example.org,040,A,B\n"),
            (Lines{"people.csv:1: error: unknown column 'puhelin' (expected email, name, roles, "
                   "language, join_url, timezone)",
                   "people.csv:1: error: column 'name' appears twice"}));
}

TEST(ParticipantsCsv, RowRulesAreReportedWithTheirLines) {
  EXPECT_EQ(
      errors_in("email,language,join_url\n"
                "a@example.org,fi,\n"
                ",fi,\n"
                "b.example.org,fi,\n"
                "c@example.org,de,\n"
                "d@example.org,sv,http://example.org/zoom\n"
                "e@example.org,sv\n"
                "A@Example.Org,en,\n"),
      (Lines{"people.csv:3: error: missing e-mail address",
             "people.csv:4: error: 'b.example.org' is not a valid e-mail address",
             "people.csv:5: error: unknown language 'de' (expected fi, sv or en)",
             "people.csv:6: error: join link 'http://example.org/zoom' must be an https:// "
             "URL",
             "people.csv:7: error: expected 3 fields as in the header, found 2",
             "people.csv:8: error: duplicate participant 'A@Example.Org' (first on line 2)"}));
}

TEST(ParticipantsCsv, GoodRowsSurviveBadOnes) {
  ParticipantsLoad result = load("email\nbad\ngood@example.org\n");
  ASSERT_EQ(result.participants.size(), 1u);
  EXPECT_EQ(result.participants[0].email, "good@example.org");
  EXPECT_EQ(result.diagnostics.size(), 1u);
}

TEST(ParticipantsCsv, UnclosedQuoteIsReportedWhereItOpens) {
  EXPECT_EQ(errors_in("email,name\na@example.org,A\nb@example.org,\"B\nc@example.org,C\n"),
            Lines{"people.csv:3: error: a quoted field is never closed"});
}

TEST(ParticipantsCsv, StrayQuotesAreErrors) {
  EXPECT_EQ(errors_in("email,name\na@example.org,Matti \"Masa\" M\nb@example.org,\"B\"x\n"
                      "c@example.org,C\n"),
            (Lines{"people.csv:2: error: a quote inside an unquoted field: quote the whole field "
                   "and double the quote (\"\")",
                   "people.csv:3: error: unexpected text after a closing quote"}));
}

TEST(ParticipantsCsv, InvalidUtf8IsAnError) {
  // Latin-1 "ä" (0xE4) as saved by an old spreadsheet.
  EXPECT_EQ(errors_in("email,name\na@example.org,M\xE4kinen\n"),
            Lines{"people.csv:2: error: record is not valid UTF-8 (save the file as UTF-8)"});
}

TEST(EmailAddress, PlainAddrSpecOnly) {
  EXPECT_TRUE(is_valid_email("webinaarit@example.org"));
  EXPECT_TRUE(is_valid_email("first.last+tag@sub.example.fi"));
  EXPECT_TRUE(is_valid_email("o'brien@example.org"));
  EXPECT_FALSE(is_valid_email(""));
  EXPECT_FALSE(is_valid_email("example.org"));
  EXPECT_FALSE(is_valid_email("@example.org"));
  EXPECT_FALSE(is_valid_email("a@localhost"));
  EXPECT_FALSE(is_valid_email("a..b@example.org"));
  EXPECT_FALSE(is_valid_email(".a@example.org"));
  EXPECT_FALSE(is_valid_email("a@-example.org"));
  EXPECT_FALSE(is_valid_email("a@example..org"));
  EXPECT_FALSE(is_valid_email("a b@example.org"));
  EXPECT_FALSE(is_valid_email("\"a b\"@example.org"));
  EXPECT_FALSE(is_valid_email("a@b@example.org"));
  EXPECT_FALSE(is_valid_email("a@example.org\r\nBcc: x@example.org"));
  EXPECT_FALSE(is_valid_email("Anna <a@example.org>"));
  EXPECT_FALSE(is_valid_email("päivi@example.org"));
}

}  // namespace
}  // namespace kutsu::agenda
