#include "model/time_rules.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "model/time_format.h"
#include "tests/model/sample_series.h"

namespace kutsu::model {
namespace {

using namespace std::chrono_literals;
using testing::days;
using testing::hours;
using testing::local;
using testing::utc;
using testing::with_offset;

const date::time_zone& helsinki() { return *date::locate_zone("Europe/Helsinki"); }
const date::time_zone& kolkata() { return *date::locate_zone("Asia/Kolkata"); }
const date::time_zone& lord_howe() { return *date::locate_zone("Australia/Lord_Howe"); }

// The instant a written time names, or the error message as the test's failure.
date::sys_seconds instant(const agenda::WrittenTime& time, const date::time_zone& zone) {
  Result<date::sys_seconds> result = written_instant(time, zone);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : date::sys_seconds{};
}

std::string error_of(const agenda::WrittenTime& time, const date::time_zone& zone) {
  Result<date::sys_seconds> result = written_instant(time, zone);
  if (result.ok()) return "converted to " + format_utc(*result);
  return result.error().message;
}

// Reminder `before` a session starting at the written local time.
date::sys_seconds before_start(const agenda::WrittenTime& start, const agenda::Duration& before,
                               const date::time_zone& zone,
                               std::optional<std::chrono::seconds> at = std::nullopt) {
  return offset_before(instant(start, zone), before, at, zone);
}

TEST(WrittenInstant, ReadsAnOrdinaryLocalTimeInTheSeriesZone) {
  EXPECT_EQ(instant(local(2022, 2, 2, 18, 0), helsinki()), utc(2022, 2, 2, 16, 0));
  EXPECT_EQ(instant(local(2022, 6, 2, 18, 0), helsinki()), utc(2022, 6, 2, 15, 0));
}

TEST(WrittenInstant, SpringForwardGapIsAnErrorNamingTheGap) {
  EXPECT_EQ(error_of(local(2022, 3, 27, 3, 30), helsinki()),
            "2022-03-27T03:30:00 does not exist in Europe/Helsinki: clocks go from 03:00 to "
            "04:00 (+02:00 → +03:00)");
  // The edges: 03:00 itself is inside the gap, 02:59 and 04:00 exist.
  EXPECT_NE(error_of(local(2022, 3, 27, 3, 0), helsinki()).find("does not exist"),
            std::string::npos);
  EXPECT_EQ(instant(local(2022, 3, 27, 2, 59), helsinki()), utc(2022, 3, 27, 0, 59));
  EXPECT_EQ(instant(local(2022, 3, 27, 4, 0), helsinki()), utc(2022, 3, 27, 1, 0));
}

TEST(WrittenInstant, FallBackFoldIsAnErrorNamingBothInstants) {
  EXPECT_EQ(error_of(local(2022, 10, 30, 3, 30), helsinki()),
            "2022-10-30T03:30:00 is ambiguous in Europe/Helsinki: it is both 03:30+03:00 "
            "(00:30Z) and 03:30+02:00 (01:30Z); write it with an offset");
  EXPECT_EQ(instant(local(2022, 10, 30, 2, 59), helsinki()), utc(2022, 10, 29, 23, 59));
  EXPECT_EQ(instant(local(2022, 10, 30, 4, 0), helsinki()), utc(2022, 10, 30, 2, 0));
}

TEST(WrittenInstant, AnOffsetTimeIsItsInstantEvenInAFold) {
  EXPECT_EQ(instant(with_offset(2022, 10, 30, 3, 30, 3h), helsinki()), utc(2022, 10, 30, 0, 30));
  EXPECT_EQ(instant(with_offset(2022, 10, 30, 3, 30, 2h), helsinki()), utc(2022, 10, 30, 1, 30));
}

TEST(WrittenInstant, HalfHourZones) {
  EXPECT_EQ(instant(local(2022, 2, 2, 18, 0), kolkata()), utc(2022, 2, 2, 12, 30));
  EXPECT_EQ(error_of(local(2022, 10, 2, 2, 15), lord_howe()),
            "2022-10-02T02:15:00 does not exist in Australia/Lord_Howe: clocks go from 02:00 to "
            "02:30 (+10:30 → +11:00)");
  EXPECT_EQ(error_of(local(2022, 4, 3, 1, 45), lord_howe()),
            "2022-04-03T01:45:00 is ambiguous in Australia/Lord_Howe: it is both 01:45+11:00 "
            "(14:45Z) and 01:45+10:30 (15:15Z); write it with an offset");
}

TEST(ResolveComputed, GapGoesToTheTransitionAndFoldToTheEarlierInstant) {
  // 03:30 on 27 March does not exist: the clocks show 04:00+03:00 = 01:00Z.
  EXPECT_EQ(resolve_computed(local(2022, 3, 27, 3, 30).local, helsinki()), utc(2022, 3, 27, 1, 0));
  // 03:30 on 30 October happens twice: the first time is 03:30+03:00.
  EXPECT_EQ(resolve_computed(local(2022, 10, 30, 3, 30).local, helsinki()),
            utc(2022, 10, 30, 0, 30));
  EXPECT_EQ(resolve_computed(local(2022, 10, 2, 2, 15).local, lord_howe()),
            utc(2022, 10, 1, 15, 30));
}

TEST(OffsetBefore, CalendarDaysKeepTheWallClockAcrossSpringForward) {
  // Session on the day of the change, 18:00+03:00 = 15:00Z. One calendar day
  // earlier is 18:00 on the 26th, still at +02:00; 24 hours earlier is 17:00.
  auto start = local(2022, 3, 27, 18, 0);
  EXPECT_EQ(before_start(start, days(1), helsinki()), utc(2022, 3, 26, 16, 0));
  EXPECT_EQ(before_start(start, hours(24), helsinki()), utc(2022, 3, 26, 15, 0));
  EXPECT_EQ(format_in_zone(before_start(start, hours(24), helsinki()), helsinki()),
            "2022-03-26T17:00:00+02:00");
}

TEST(OffsetBefore, DayAfterTheChangeCalendarAndExactAgreeUntilTheyCrossIt) {
  // 2022-03-28 18:00+03:00 = 15:00Z: P1D and PT24H both land on 27 March at
  // 18:00+03:00, after the change; P2D and PT48H cross it and differ by an hour.
  auto start = local(2022, 3, 28, 18, 0);
  EXPECT_EQ(before_start(start, days(1), helsinki()), utc(2022, 3, 27, 15, 0));
  EXPECT_EQ(format_in_zone(before_start(start, days(1), helsinki()), helsinki()),
            "2022-03-27T18:00:00+03:00");
  EXPECT_EQ(before_start(start, hours(24), helsinki()), utc(2022, 3, 27, 15, 0));
  EXPECT_EQ(before_start(start, days(2), helsinki()), utc(2022, 3, 26, 16, 0));
  EXPECT_EQ(before_start(start, hours(48), helsinki()), utc(2022, 3, 26, 15, 0));
}

TEST(OffsetBefore, CalendarDaysKeepTheWallClockAcrossFallBack) {
  // 2022-10-30 18:00+02:00 = 16:00Z; the day before at 18:00 is +03:00.
  auto start = local(2022, 10, 30, 18, 0);
  EXPECT_EQ(before_start(start, days(1), helsinki()), utc(2022, 10, 29, 15, 0));
  EXPECT_EQ(format_in_zone(before_start(start, hours(24), helsinki()), helsinki()),
            "2022-10-29T19:00:00+03:00");
}

TEST(OffsetBefore, CalendarPartFirstThenExactPart) {
  // P1DT2H before 2022-03-27 18:00+03:00: 18:00 on the 26th (+02:00), then
  // two hours earlier: 16:00+02:00 = 14:00Z.
  agenda::Duration mixed(1, 2h);
  EXPECT_EQ(before_start(local(2022, 3, 27, 18, 0), mixed, helsinki()), utc(2022, 3, 26, 14, 0));
}

TEST(OffsetBefore, AtPutsTheReminderAtThatLocalTimeOnTheDayTheOffsetLandsOn) {
  // The example series: P1D at 09:00 before Wed 2.2.2022 18:00 is Tue 09:00.
  EXPECT_EQ(before_start(local(2022, 2, 2, 18, 0), days(1), helsinki(), 9h), utc(2022, 2, 1, 7, 0));
  // PT1H before 00:30 lands on the previous day, so `at` applies there.
  EXPECT_EQ(before_start(local(2022, 2, 3, 0, 30), hours(1), helsinki(), 9h),
            utc(2022, 2, 2, 7, 0));
  // `at` on the day after spring-forward uses the new offset.
  EXPECT_EQ(before_start(local(2022, 3, 29, 18, 0), days(1), helsinki(), 9h),
            utc(2022, 3, 28, 6, 0));
}

TEST(OffsetBefore, ComputedReadingsInAGapOrFoldAreResolvedNotRejected) {
  // `at` 03:30 on the day of the gap: the transition, 04:00+03:00.
  EXPECT_EQ(before_start(local(2022, 3, 28, 18, 0), days(1), helsinki(), 3h + 30min),
            utc(2022, 3, 27, 1, 0));
  // `at` 03:30 on the day of the fold: the first 03:30, at +03:00.
  EXPECT_EQ(before_start(local(2022, 10, 31, 18, 0), days(1), helsinki(), 3h + 30min),
            utc(2022, 10, 30, 0, 30));
  // A calendar day before 03:30 on the 28th lands in the gap on the 27th.
  EXPECT_EQ(before_start(local(2022, 3, 28, 3, 30), days(1), helsinki()), utc(2022, 3, 27, 1, 0));
}

TEST(OffsetBefore, HalfHourOffsetsAndHalfHourShifts) {
  // Kolkata (+05:30, no DST): P1D at 09:00 before 2.2.2022 18:00 is 03:30Z.
  EXPECT_EQ(before_start(local(2022, 2, 2, 18, 0), days(1), kolkata(), 9h), utc(2022, 2, 1, 3, 30));
  EXPECT_EQ(format_in_zone(utc(2022, 2, 1, 3, 30), kolkata()), "2022-02-01T09:00:00+05:30");
  // Lord Howe moves its clocks by 30 minutes: 2022-10-02 18:00+11:00 = 07:00Z.
  auto start = local(2022, 10, 2, 18, 0);
  EXPECT_EQ(before_start(start, days(1), lord_howe()), utc(2022, 10, 1, 7, 30));
  EXPECT_EQ(before_start(start, hours(24), lord_howe()), utc(2022, 10, 1, 7, 0));
  EXPECT_EQ(format_in_zone(utc(2022, 10, 1, 7, 0), lord_howe()), "2022-10-01T17:30:00+10:30");
}

}  // namespace
}  // namespace kutsu::model
