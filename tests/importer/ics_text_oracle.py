#!/usr/bin/python3
"""The texts of an iCalendar file's events, read without Kutsu's code.

Usage: ics_text_oracle.py FILE.ics
Prints {"calendar": NAME, "events": [{"uid", "summary", "description",
"location"}, ...]} in file order, as Python's `icalendar` unfolds and
unescapes them (missing texts are "").
"""

import json
import sys

import icalendar


def text(component, name):
    value = component.get(name)
    return "" if value is None else str(value)


def main():
    with open(sys.argv[1], "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    events = [
        {name: text(event, name.upper()) for name in ("uid", "summary", "description", "location")}
        for event in calendar.walk("VEVENT")
    ]
    json.dump({"calendar": text(calendar, "X-WR-CALNAME"), "events": events}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
