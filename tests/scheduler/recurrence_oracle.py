#!/usr/bin/python3
"""The instants of recurring sessions, computed without Kutsu's code.

Reads a JSON list of cases on stdin and prints {"<name>": ["<UTC instant>",
...]} in start order, instants as "YYYY-MM-DDTHH:MM:SSZ". A case:

  {"name", "tz", "start": "YYYY-MM-DDTHH:MM:SS" (wall clock; for "dates" only
   the time counts), "until": "YYYY-MM-DD" (the horizon: occurrences starting
   on or before this local date), and either
     "rrule": RFC 5545 rule, expanded by dateutil.rrule with a zone-aware
              DTSTART (zoneinfo), "except": ["YYYY-MM-DD", ...]
   or
     "dates": ["YYYY-MM-DD", ...] and/or "dates_utc": ["YYYY-MM-DDTHH:MM:SSZ"]
              (each taken as its local date in tz), "on": "sunday before" |
              "N days after" ...,
   and "moved": {"YYYY-MM-DD": "HH:MM:SS"} (that occurrence starts then)}

The meaning of a date-form UNTIL (the whole day, in the series zone) is the
one agenda-format.md gives; dateutil needs it as a UTC instant.
"""

import datetime
import json
import re
import sys
from zoneinfo import ZoneInfo

from dateutil import rrule

UTC = datetime.timezone.utc
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def shifted(day, on):
    if not on:
        return day
    words = on.lower().split()
    sign = -1 if words[-1] == "before" else 1
    if words[0] in WEEKDAYS:
        target = WEEKDAYS.index(words[0])
        day = day + datetime.timedelta(days=sign)
        while day.weekday() != target:
            day = day + datetime.timedelta(days=sign)
        return day
    return day + datetime.timedelta(days=sign * int(words[0]))


def case_instants(case):
    zone = ZoneInfo(case["tz"])
    start = datetime.datetime.fromisoformat(case["start"])
    until = datetime.date.fromisoformat(case["until"])
    moved = {datetime.date.fromisoformat(k): datetime.time.fromisoformat(v)
             for k, v in case.get("moved", {}).items()}
    starts = []
    if "rrule" in case:
        rule = case["rrule"]
        match = re.search(r"UNTIL=(\d{8})(?![T\d])", rule)
        if match:
            day = datetime.datetime.strptime(match.group(1), "%Y%m%d")
            end = day.replace(hour=23, minute=59, second=59, tzinfo=zone).astimezone(UTC)
            rule = rule.replace(match.group(0), "UNTIL=" + end.strftime("%Y%m%dT%H%M%SZ"))
        excepted = {datetime.date.fromisoformat(d) for d in case.get("except", [])}
        last = datetime.datetime.combine(until, datetime.time(23, 59, 59), tzinfo=zone)
        for occurrence in rrule.rrulestr(rule, dtstart=start.replace(tzinfo=zone)):
            if occurrence > last:
                break
            if occurrence.date() in excepted:
                continue
            starts.append(occurrence)
    else:
        days = [datetime.date.fromisoformat(d) for d in case.get("dates", [])]
        for instant in case.get("dates_utc", []):
            utc = datetime.datetime.strptime(instant, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            days.append(utc.astimezone(zone).date())
        for day in sorted({shifted(d, case.get("on")) for d in days}):
            starts.append(datetime.datetime.combine(day, start.time(), tzinfo=zone))
    result = []
    for occurrence in starts:
        local = occurrence.replace(tzinfo=None)
        if local.date() in moved:
            local = datetime.datetime.combine(local.date(), moved[local.date()])
        utc = local.replace(tzinfo=zone).astimezone(UTC)
        result.append(utc.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return sorted(result)


def main():
    cases = json.load(sys.stdin)
    json.dump({case["name"]: case_instants(case) for case in cases}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
