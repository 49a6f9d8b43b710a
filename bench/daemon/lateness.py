"""Table 2: how late notifications arrive. SESSIONS × PARTICIPANTS e-mail
reminders whose due seconds are spread over one minute (one session per due
second, PARTICIPANTS reminders due together at each) go from `kutsu serve`
to postfix's smtp-sink, a receiver fast enough (C, ~40 µs a message) not to
delay the last of a group by itself, as a Python server would (aiosmtpd takes
~0.7 ms a message, ~26 ms for a group of 40).

When each message was accepted comes from smtp-sink's counter, read at once
(smtp_sink.py); which messages came from the files it dumps: every planned
notification id (`kutsu plan --format json`, the Message-ID's local part)
exactly once and nothing else. Since all reminders of a group share their
due second and groups are a second or more apart, the n-th arrival belongs
to the latest due second at or before it; the run fails unless that gives
every due second exactly its number of reminders (so none was a second late
or sent early). Lateness = arrival − due second.
"""

import bisect
import collections
import math
import re
import sys
import time

from bench_env import BenchError, ServeProcess, free_port, load_1min
from series_files import planned_dues, write_config, write_series
from smtp_sink import SmtpSink

MESSAGE_ID = re.compile(rb"\nMessage-I[Dd]: <([0-9a-f]{32})@", re.IGNORECASE)


class LatenessRun:
    def __init__(self, by_second, spread_s, ready_s, load):
        # due second → the lateness (ms) of each of its reminders, in arrival order
        self.by_second = by_second
        self.lateness_ms = [ms for group in by_second.values() for ms in group]
        self.spread_s = spread_s  # first due → last due
        self.ready_s = ready_s
        self.load = load


def check_identities(messages, dues):
    """Every planned notification arrived exactly once, and nothing else did."""
    arrived = collections.Counter()
    for message in messages:
        found = MESSAGE_ID.search(message)
        if not found:
            raise BenchError("smtp-sink got a message without Kutsu's Message-ID")
        arrived[found.group(1).decode()] += 1
    twice = [notification for notification, count in arrived.items() if count > 1]
    unknown = set(arrived) - set(dues)
    missing = set(dues) - set(arrived)
    if twice or unknown or missing:
        raise BenchError(f"{len(twice)} notifications arrived twice, {len(unknown)} unknown, "
                         f"{len(missing)} missing")


def lateness_by_second(arrivals, dues):
    """due second → milliseconds from each of its arrivals to it (see above)."""
    planned = collections.Counter(dues.values())
    seconds = sorted(planned)
    grouped = collections.defaultdict(list)
    for arrival in arrivals:
        index = bisect.bisect_right(seconds, arrival) - 1
        if index < 0:
            raise BenchError(f"a message arrived {seconds[0] - arrival:.3f} s before the first "
                             f"due second")
        grouped[seconds[index]].append((arrival - seconds[index]) * 1000)
    wrong = [second for second in seconds if len(grouped[second]) != planned[second]]
    if wrong:
        raise BenchError(f"arrivals do not group by due second (a message a second late or "
                         f"early?): {len(wrong)} seconds differ")
    return dict(grouped)


def spread_due_seconds(first, sessions, over_seconds):
    """`sessions` distinct due seconds from `first`, evenly over `over_seconds`."""
    due_seconds = [first + (number * over_seconds) // sessions for number in range(sessions)]
    if len(set(due_seconds)) != sessions:
        raise BenchError(f"{sessions} due seconds do not fit in {over_seconds} s")
    return due_seconds


def lateness_run(children, kutsu, folder, sessions, participants, lead, over_seconds=60):
    folder.mkdir(parents=True)
    sink = SmtpSink(children, folder / "sink.err", batch_pause=0, dump_dir=folder / "dump")
    first = math.ceil(time.time()) + lead
    due_seconds = spread_due_seconds(first, sessions, over_seconds)
    series = write_series(folder / "series.d", "lateness", due_seconds, participants)
    dues = planned_dues(kutsu, series)
    expected = sessions * participants
    if len(dues) != expected:
        raise BenchError(f"kutsu plan gives {len(dues)} notifications, expected {expected}")
    config = write_config(folder, sink.port, free_port())
    serve = ServeProcess(children, kutsu, config, folder / "serve.log")
    serve.wait_ready_before(first, lead, "the first due time")
    print(f"  lateness: {expected} reminders due over {over_seconds} s ...", file=sys.stderr)
    arrived = sink.wait_for(expected, timeout=lead + over_seconds + 120)
    serve.terminate()
    children.stop(sink.process)
    if not arrived or sink.count() != expected:
        raise BenchError(f"smtp-sink got {sink.count()} of {expected} messages:\n"
                         f"{serve.log_tail()}")
    check_identities(sink.dumped_messages(), dues)
    by_second = lateness_by_second(sink.arrival_times(), dues)
    return LatenessRun(by_second, due_seconds[-1] - due_seconds[0], serve.ready_after,
                       load_1min())
