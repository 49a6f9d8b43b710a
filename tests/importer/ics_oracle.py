#!/usr/bin/python3
"""The occurrences of an iCalendar file, computed without Kutsu's code.

Usage: ics_oracle.py FILE.ics SERIES_ZONE UNTIL
Prints {"starts": [...], "cancelled": [...]}: the UTC start instants
("YYYY-MM-DDTHH:MM:SSZ", sorted) of every occurrence that takes place and of
every occurrence that is cancelled, for occurrences starting on or before the
local date UNTIL in SERIES_ZONE.

Python's `icalendar` reads the file (its own Windows zone table and its own
reading of VTIMEZONE), `dateutil.rrule` expands RRULE/RDATE/EXDATE on the
wall clock of the event's zone (what RFC 5545 says a TZID-ed DTSTART means),
and RECURRENCE-ID events replace or cancel the occurrence they name. Floating
times are read in SERIES_ZONE. No code is shared with libical, ICU or date.
"""

import datetime
import json
import re
import sys
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

UTC = datetime.timezone.utc


def localize(naive, tz):
    if hasattr(tz, "localize"):  # pytz-style zones (icalendar 4 uses them)
        return tz.normalize(tz.localize(naive))
    return naive.replace(tzinfo=tz)


def zone_of(value, series):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        tz = value.tzinfo
        # pytz keeps one fixed offset on the value; its zone object is the
        # one that knows the rules.
        if hasattr(tz, "zone") and tz.zone:
            try:
                return ZoneInfo(tz.zone)
            except Exception:
                pass
        return tz
    return series


def wall(value, tz):
    """The naive wall-clock reading of `value` in `tz`."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(tz).replace(tzinfo=None) if not hasattr(tz, "localize") else \
            tz.normalize(value.astimezone(tz)).replace(tzinfo=None)
    return datetime.datetime.combine(value, datetime.time())


def values(event, name):
    prop = event.get(name)
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    out = []
    for p in props:
        out.extend(d.dt for d in p.dts)
    return out


def main():
    path, series_name, until_text = sys.argv[1:4]
    series = ZoneInfo(series_name)
    until = datetime.date.fromisoformat(until_text)
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    masters, overrides = {}, []
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            overrides.append(event)
        else:
            masters.setdefault(str(event["UID"]), event)

    starts = {}  # (uid, naive wall-clock original start) -> (utc instant, cancelled)
    for uid, event in masters.items():
        start = event["DTSTART"].dt
        tz = zone_of(start, series)
        first = wall(start, tz)
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        rules = rrule.rruleset()
        if "RRULE" in event:
            text = event["RRULE"].to_ical().decode()
            match = re.search(r"UNTIL=(\d{8}T\d{6})Z", text)
            if match:
                utc = datetime.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
                text = text.replace(match.group(0), "UNTIL=" + wall(utc, tz).strftime("%Y%m%dT%H%M%S"))
            rules.rrule(rrule.rrulestr(text, dtstart=first))
        else:
            rules.rdate(first)
        for day in values(event, "RDATE"):
            rules.rdate(wall(day, tz))
        for day in values(event, "EXDATE"):
            rules.exdate(wall(day, tz))
        for occurrence in rules:
            instant = localize(occurrence, tz).astimezone(UTC)
            if instant.astimezone(series).date() > until:
                break
            starts[(uid, occurrence)] = (instant, cancelled)

    for event in overrides:
        uid = str(event["UID"])
        if uid not in masters:
            continue
        tz = zone_of(masters[uid]["DTSTART"].dt, series)
        original = wall(event["RECURRENCE-ID"].dt, tz)
        if (uid, original) not in starts:
            continue
        start = event["DTSTART"].dt
        instant = localize(wall(start, zone_of(start, series)), zone_of(start, series)).astimezone(UTC)
        cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
        starts[(uid, original)] = (instant, cancelled)

    fmt = "%Y-%m-%dT%H:%M:%SZ"
    json.dump({
        "starts": sorted(i.strftime(fmt) for i, c in starts.values() if not c),
        "cancelled": sorted(i.strftime(fmt) for i, c in starts.values() if c),
    }, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
