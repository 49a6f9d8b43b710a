#!/usr/bin/python3
"""Reads every *.eml (an e-mail with a text/calendar part) and *.ics (a bare
calendar) in the folder given as the only argument and prints, as JSON, the
UTC instant each VEVENT's DTSTART names, found two independent ways:

  by_vtimezone  the VTIMEZONE in the same calendar whose TZID the DTSTART
                names, turned into a tzinfo by icalendar's Timezone.to_tz()
                (its own reading of STANDARD/DAYLIGHT, RRULE and RDATE);
                what a client that trusts the calendar's zone data computes.
  by_name       icalendar's own value of DTSTART: pytz's zone of that name
                when pytz knows it; what a client that knows IANA names does.

Neither uses libical or Howard Hinnant's date, which made the calendar, so
a test can compare both with the instant Kutsu planned.

With `--at YYYY-MM-DDTHH:MM:SS` (repeatable) after the folder, each file
also gets "offsets": {"<local time>": "+HH:MM"}: the UTC offset that the
calendar's first VTIMEZONE gives that wall-clock time, the way a client
places any date it is asked about (a week view, a later update), not only
the events' own.

Output: {"<file name>": {"timezones": [TZID, ...], "events": [{"tzid",
"dtstart", "by_vtimezone", "by_name"}], "offsets"?}}, instants as
"YYYY-MM-DDTHH:MM:SSZ" (null when that way finds none). A file that does not
parse is {"error": "..."}. Run with Debian's /usr/bin/python3
(python3-icalendar).
"""

import datetime

import email
import email.policy
import json
import os
import sys

import icalendar
import pytz


def utc_text(moment):
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_until(zone):
    """RFC 5545 3.6.5 wants a VTIMEZONE rule's UNTIL in UTC, as libical
    writes it, but icalendar 4.0.3's to_tz() hands it to dateutil together
    with the rule's local DTSTART, and dateutil refuses that mix. The same
    moment as a local time is UNTIL at the offset in force before it."""
    for rule_part in zone.walk():
        if rule_part.name not in ("STANDARD", "DAYLIGHT") or "RRULE" not in rule_part:
            continue
        recur = rule_part["RRULE"]
        if "UNTIL" in recur:
            offset = rule_part["TZOFFSETFROM"].td
            recur["UNTIL"] = [
                until.astimezone(pytz.utc).replace(tzinfo=None) + offset
                if getattr(until, "tzinfo", None) is not None else until
                for until in recur["UNTIL"]
            ]
    return zone


def calendar_bytes(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if path.endswith(".ics"):
        return data
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True)
    raise ValueError("no text/calendar part")


def offset_text(moment):
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def read(path, at=()):
    calendar = icalendar.Calendar.from_ical(calendar_bytes(path))
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    events = []
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"]
        tzid = start.params.get("TZID")
        wall = start.dt.replace(tzinfo=None)
        by_vtimezone = None
        if tzid is not None and str(tzid) in zones:
            by_vtimezone = local_until(zones[str(tzid)]).to_tz().localize(wall)
        events.append({
            "tzid": None if tzid is None else str(tzid),
            "dtstart": start.to_ical().decode(),
            "by_vtimezone": utc_text(by_vtimezone),
            "by_name": utc_text(start.dt),
        })
    out = {"timezones": list(zones), "events": events}
    if at and zones:
        tz = local_until(next(iter(zones.values()))).to_tz()
        out["offsets"] = {
            local: offset_text(tz.localize(datetime.datetime.fromisoformat(local)))
            for local in at
        }
    return out


def main():
    folder = sys.argv[1]
    rest = sys.argv[2:]
    at = [rest[i + 1] for i in range(0, len(rest) - 1, 2) if rest[i] == "--at"]
    result = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".eml", ".ics")):
            continue
        try:
            result[name] = read(os.path.join(folder, name), at)
        except Exception as error:  # one bad calendar must not hide the rest
            result[name] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
