"""The files a benchmark daemon runs on: series whose reminders fall due at
chosen real instants, their participants, and the daemon's kutsu.toml.

A reminder due at instant D is written as a session starting at D + 1 h with
one reminder `before = "PT1H"`, the start as a UTC offset date-time, so the
due times are exactly the instants asked for whatever the series zone.
"""

import datetime
import json
import pathlib
import subprocess

from bench_env import BenchError


def utc_text(epoch_seconds):
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def write_series(folder, series_id, reminder_dues, participants):
    """folder/SERIES_ID.toml with one session per due instant (epoch seconds)
    and folder/SERIES_ID.csv with `participants` people: the plan is
    len(reminder_dues) × participants e-mail reminders, no invitation."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f'id = "{series_id}"',
        'title = "Kutsun suorituskykytesti"',
        'timezone = "Europe/Helsinki"',
        'organiser = { name = "Järjestäjä", email = "webinaarit@example.org" }',
        'join_url = "https://example.org/liity"',
        f'participants = "{series_id}.csv"',
        "",
        "[[reminder]]",
        'before = "PT1H"',
    ]
    for number, due in enumerate(reminder_dues):
        lines += [
            "",
            "[[session]]",
            f'id = "s{number:04d}"',
            f'title = "Webinaari {number + 1}: alueellinen yhteistyö"',
            f"start = {utc_text(due + 3600)}",
            'duration = "PT1H30M"',
            'speakers = ["Anne Huotari"]',
            'location = "Zoom"',
        ]
    series = folder / f"{series_id}.toml"
    series.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["email,name"]
    rows += [f"osallistuja{n:05d}@example.org,Osallistuja {n:05d}" for n in range(participants)]
    (folder / f"{series_id}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return series


def write_config(folder, smtp_port, admin_port, max_connections=8, token_file=None):
    """folder/kutsu.toml: series in folder/series.d, the outbox in
    folder/state, e-mail over plain SMTP to 127.0.0.1:SMTP_PORT."""
    folder = pathlib.Path(folder)
    http = f'[http]\nlisten = "127.0.0.1:{admin_port}"\n'
    if token_file:
        http += f'token_file = "{token_file}"\n'
    text = (
        "[daemon]\n"
        f'series_dir = "{folder / "series.d"}"\n'
        f'state_dir = "{folder / "state"}"\n\n'
        f"{http}\n"
        "[email]\n"
        'transport = "smtp"\n'
        f'url = "smtp://127.0.0.1:{smtp_port}"\n'
        'starttls = "off"\n'
        'from = "Webinaarit <webinaarit@example.org>"\n'
        f"max_connections = {max_connections}\n")
    config = folder / "kutsu.toml"
    config.write_text(text, encoding="utf-8")
    return config


def planned_dues(kutsu, series):
    """notification id → due instant (epoch seconds), from `kutsu plan --format json`."""
    plan = subprocess.run([kutsu, "plan", "--format", "json", str(series)], capture_output=True,
                          check=False)
    if plan.returncode != 0:
        raise BenchError(f"kutsu plan {series} failed:\n{plan.stderr.decode()}")
    dues = {}
    for entry in json.loads(plan.stdout):
        due = datetime.datetime.strptime(entry["due"], "%Y-%m-%dT%H:%M:%SZ")
        dues[entry["id"]] = due.replace(tzinfo=datetime.timezone.utc).timestamp()
    return dues


def rendered_message_size(kutsu, series, out_folder):
    """The mean size in bytes of the e-mails `kutsu preview` renders for a
    series (the same bytes the daemon would send)."""
    preview = subprocess.run([kutsu, "preview", str(series), "--out", str(out_folder)],
                             capture_output=True, check=False)
    if preview.returncode != 0:
        raise BenchError(f"kutsu preview {series} failed:\n{preview.stderr.decode()}")
    sizes = [path.stat().st_size for path in pathlib.Path(out_folder).glob("*.eml")]
    if not sizes:
        raise BenchError(f"kutsu preview {series} rendered no e-mail")
    return round(sum(sizes) / len(sizes))
