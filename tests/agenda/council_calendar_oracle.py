#!/usr/bin/python3
"""The council calendar of examples/valtuustoryhma-2026, read without Kutsu.

Reads an iCalendar file with python3-icalendar and prints one line per fact,
sorted, for tests/agenda/council_group_example_test.cpp:

  meeting YYYY-MM-DD     the local date (Europe/Helsinki) of each VEVENT that
                         takes place (STATUS other than CANCELLED)
  cancelled YYYY-MM-DD   the local date of each STATUS:CANCELLED VEVENT
  sunday YYYY-MM-DD      the Sunday before each meeting (never the day
                         itself), each once: where the group meets
  sunday-cancelled YYYY-MM-DD   the Sunday before each cancelled meeting

Usage: council_calendar_oracle.py FILE.ics
"""
import datetime
import sys
from zoneinfo import ZoneInfo

import icalendar

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_date(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(HELSINKI).date()
    return value


def sunday_before(day):
    # Monday is 0, Sunday 6: Monday → 1 day back, Sunday → 7.
    back = (day.weekday() - 6) % 7 or 7
    return day - datetime.timedelta(days=back)


def main():
    with open(sys.argv[1], "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    lines = set()
    for event in calendar.walk("VEVENT"):
        day = local_date(event.decoded("DTSTART"))
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        lines.add(f"{'cancelled' if cancelled else 'meeting'} {day.isoformat()}")
        lines.add(f"{'sunday-cancelled' if cancelled else 'sunday'} "
                  f"{sunday_before(day).isoformat()}")
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main()
