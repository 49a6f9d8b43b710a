"""Table 4: lateness while a large series is reloaded. A steady stream of
e-mail reminders (PARTICIPANTS due at each of SESSIONS seconds spread over a
minute) goes from `kutsu serve` to smtp-sink, as in the lateness table,
while a second series of BIG_SESSIONS × BIG_PARTICIPANTS reminders (500,000)
is edited — every session moved by a day, so each reload supersedes and
inserts the whole series — and reloaded with SIGHUP three times during the
minute. The reload parses, plans and writes on the service's worker; the
stream must arrive as on time as without reloads.

Each edit is sent only once the previous one is in force: the daemon logs
"load in force: …" at the instant a load takes effect, and the run counts
those lines. Sent at fixed times instead, SIGHUPs that arrive while a slow
reload runs are merged into one (one waits, the rest join it), and three
edits would give fewer than three loads. An edit whose time came while the
previous load was still being applied goes at once, and the run says so.

How long each reload took comes from the daemon's own sd_notify messages
(RELOADING=1 → READY=1), read from its NOTIFY_SOCKET as systemd would.
"""

import math
import signal
import sys
import time

from bench_env import BenchError, ServeProcess, free_port, load_1min
from lateness import check_identities, lateness_by_second
from series_files import planned_dues, write_config, write_series
from smtp_sink import SmtpSink


class ReloadRun:
    def __init__(self, by_second, reload_seconds, big_rows, ready_s, load):
        self.by_second = by_second
        self.lateness_ms = [ms for group in by_second.values() for ms in group]
        self.reload_seconds = reload_seconds  # each RELOADING=1 → READY=1
        self.big_rows = big_rows
        self.ready_s = ready_s
        self.load = load


def big_dues(shift_days, sessions):
    """Sessions far ahead (a month, a session an hour), moved by whole days."""
    base = (math.ceil(time.time() / 86400) + 30 + shift_days) * 86400
    return [base + number * 3600 for number in range(sessions)]


def reload_durations(notifications):
    durations, started = [], None
    for at, lines in notifications:
        if "RELOADING=1" in lines:
            started = at
        elif "READY=1" in lines and started is not None:
            durations.append(at - started)
            started = None
    return durations


def loads_in_force(serve):
    """How many loads the daemon has put in force since it started serving
    (its log line at the instant a load takes effect)."""
    return sum(1 for line in serve.log_lines() if " load in force: " in line)


def wait_loads_in_force(serve, count, deadline):
    """Blocks until `count` loads are in force; False at the deadline."""
    while loads_in_force(serve) < count:
        if serve.process.poll() is not None:
            raise BenchError(f"kutsu serve exited with {serve.process.returncode} during the "
                             f"reloads:\n{serve.log_tail()}")
        if time.time() > deadline:
            return False
        time.sleep(0.05)
    return True


def reload_lateness_run(children, kutsu, folder, sessions, participants, big_sessions,
                        big_participants, lead, over_seconds=60, reloads=3):
    folder.mkdir(parents=True)
    sink = SmtpSink(children, folder / "sink.err", batch_pause=0, dump_dir=folder / "dump")
    series_dir = folder / "series.d"
    write_series(series_dir, "suuri", big_dues(0, big_sessions), big_participants)
    first = math.ceil(time.time()) + lead
    due_seconds = [first + (number * over_seconds) // sessions for number in range(sessions)]
    stream = write_series(series_dir, "virta", due_seconds, participants)
    dues = planned_dues(kutsu, stream)
    expected = sessions * participants
    config = write_config(folder, sink.port, free_port())
    serve = ServeProcess(children, kutsu, config, folder / "serve.log")
    serve.wait_ready_before(first, lead, "the first due time (the first start plans "
                            f"{big_sessions * big_participants:,} rows)")
    serve.record_notifications()
    print(f"  reload: {expected} reminders due over {over_seconds} s, "
          f"{reloads} reloads of {big_sessions * big_participants:,} rows ...", file=sys.stderr)
    in_force = loads_in_force(serve)
    deadline = time.time() + lead + over_seconds + 600
    for number in range(reloads):
        at = first + (number + 1) * over_seconds / (reloads + 1)
        if time.time() > at + 0.5:
            print(f"  reload {number + 1}: sent {time.time() - at:.1f} s after its time, once "
                  "the previous load was in force", file=sys.stderr)
        time.sleep(max(0.0, at - time.time()))
        write_series(series_dir, "suuri", big_dues(number + 1, big_sessions), big_participants)
        serve.process.send_signal(signal.SIGHUP)
        in_force += 1
        if not wait_loads_in_force(serve, in_force, deadline):
            break
    arrived = sink.wait_for(expected, timeout=max(1.0, first + over_seconds + 120 - time.time()))
    # READY=1 follows each load in force; the last one ends the run.
    while len(reload_durations(serve.notifications)) < reloads and time.time() < deadline:
        time.sleep(0.1)
    durations = reload_durations(serve.notifications)
    applied = loads_in_force(serve)
    serve.terminate()
    children.stop(sink.process)
    if not arrived or sink.count() != expected:
        raise BenchError(f"smtp-sink got {sink.count()} of {expected} messages:\n"
                         f"{serve.log_tail()}")
    if applied < in_force or len(durations) < reloads:
        raise BenchError(f"{len(durations)} of {reloads} reloads finished ({applied} loads in "
                         f"force):\n{serve.log_tail()}")
    check_identities(sink.dumped_messages(), dues)
    by_second = lateness_by_second(sink.arrival_times(), dues)
    return ReloadRun(by_second, durations, big_sessions * big_participants, serve.ready_after,
                     load_1min())
