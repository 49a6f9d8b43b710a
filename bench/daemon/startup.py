"""Table 3: start-up with a million pending notifications.

The series is bench/plan's (200 sessions × 1,250 participants × 4 reminders
= 1,000,000 notifications, all due in 2030). The first `kutsu serve` on an
empty state folder plans it and fills the outbox; every later start finds
the million rows pending and nothing changed: it re-plans, finds the plan's
digest stored (nothing to compare) and serves.
Each start is timed from just before the process is spawned until READY=1
arrives on its NOTIFY_SOCKET; its peak RSS is VmHWM read at that moment,
its CPU time user + system then.
"""

import pathlib
import subprocess

from bench_env import BenchError, ServeProcess, free_port, load_1min
from series_files import write_config

GENERATOR = pathlib.Path(__file__).parent.parent / "plan" / "generate_series.py"


class StartRun:
    def __init__(self, ready_s, cpu_s, peak_mb, load):
        self.ready_s = ready_s
        self.cpu_s = cpu_s
        self.peak_mb = peak_mb
        self.load = load


def generate(folder, sessions, participants):
    """folder/series.d/bench-plan.{toml,csv}; the number of notifications it plans.
    The generator's recurring series is the planning bench's: left in, it
    added 397,500 rows (182,500 of them past, marked missed) to the million
    the table names."""
    series_dir = folder / "series.d"
    series_dir.mkdir(parents=True)
    subprocess.run(["/usr/bin/python3", str(GENERATOR), str(series_dir), str(sessions),
                    str(participants)], check=True)
    (series_dir / "bench-recurring.toml").unlink()
    return sessions * participants * 4


def start_once(children, kutsu, config, log, expect_in_log):
    serve = ServeProcess(children, kutsu, config, log)
    ready = serve.wait_ready(timeout=900)
    run = StartRun(ready, serve.cpu_seconds(), serve.peak_rss_mb(), load_1min())
    serve.terminate()
    if not any(expect_in_log in line for line in serve.log_lines()):
        raise BenchError(f"the daemon's log lacks '{expect_in_log}':\n{serve.log_tail()}")
    return run


def startup_runs(children, kutsu, folder, sessions, participants, restarts, config_of=None):
    """(the first start filling the outbox, [each start with it full]).
    `config_of(folder)` writes the daemon's config (default: SQLite in folder)."""
    folder.mkdir(parents=True)
    count = generate(folder, sessions, participants)
    # Nothing is due before 2030, so nothing is ever sent to this port.
    config = (config_of or (lambda folder: write_config(folder, free_port(), free_port())))(folder)
    fill = start_once(children, kutsu, config, folder / "fill.log",
                      f": {count} notifications ({count} new,")
    again = [
        start_once(children, kutsu, config, folder / f"restart-{number}.log",
                   f": {count} notifications, planned as when last stored")
        for number in range(restarts)
    ]
    return fill, again, count
