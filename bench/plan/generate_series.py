#!/usr/bin/python3
"""Writes a large series for the planning benchmark into DIR.

DIR/bench-plan.toml: SESSIONS evening sessions (one a day from 2030-01-07,
crossing the spring daylight-saving change) with four series reminders
(P7D, P1D at 09:00, PT1H, PT15M), and DIR/bench-plan.csv with PARTICIPANTS
rows, all in the audience. No invitation and no webhooks, so the plan has
exactly SESSIONS × PARTICIPANTS × 4 notifications.

DIR/bench-recurring.toml: the recurring case, one [[session]] that repeats
weekly for four years (Tuesdays 18:00 from 2026-01-06,
FREQ=WEEKLY;BYDAY=TU;COUNT=208, across eight DST changes) with three series
reminders (P7D, P1D at 09:00, PT1H) and the same participants: 208 ×
PARTICIPANTS × 3 notifications once planned up to 2029-12-31 (kutsu plan
--until; the horizon from today would stop earlier).

Usage: generate_series.py DIR [SESSIONS [PARTICIPANTS]]   (default 200, 1250)
"""
import datetime
import pathlib
import sys


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    participants = int(sys.argv[3]) if len(sys.argv) > 3 else 1250

    toml = [
        'id = "bench-plan"',
        'title = "Planning benchmark"',
        'timezone = "Europe/Helsinki"',
        'organiser = { name = "Bench", email = "bench@example.org" }',
        'join_url = "https://example.org/join"',
        'participants = "bench-plan.csv"',
        'audience = ["member"]',
        "",
        '[[reminder]]\nbefore = "P7D"',
        '[[reminder]]\nbefore = "P1D"\nat = 09:00:00',
        '[[reminder]]\nbefore = "PT1H"',
        '[[reminder]]\nbefore = "PT15M"',
    ]
    first = datetime.date(2030, 1, 7)
    for i in range(sessions):
        day = first + datetime.timedelta(days=i)
        toml += [
            "",
            "[[session]]",
            f'id = "s{i:04d}"',
            f'title = "Session {i}"',
            f"start = {day.isoformat()}T18:00:00",
            f"end = {day.isoformat()}T19:30:00",
        ]
    (out / "bench-plan.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")

    recurring = toml[:7] + [
        "",
        '[[reminder]]\nbefore = "P7D"',
        '[[reminder]]\nbefore = "P1D"\nat = 09:00:00',
        '[[reminder]]\nbefore = "PT1H"',
        "",
        "[[session]]",
        'id = "weekly"',
        'title = "Weekly session"',
        "start = 2026-01-06T18:00:00",
        "end = 2026-01-06T19:30:00",
        'repeat = "FREQ=WEEKLY;BYDAY=TU;COUNT=208"',
    ]
    recurring[0] = 'id = "bench-recurring"'
    (out / "bench-recurring.toml").write_text("\n".join(recurring) + "\n", encoding="utf-8")

    rows = ["email,name,roles,language"]
    for i in range(participants):
        rows.append(f"participant{i:05d}@example.org,Participant {i},member,fi")
    (out / "bench-plan.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
