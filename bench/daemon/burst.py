"""Table 1: a burst of e-mails due at the same second, `kutsu serve` against
postfix's smtp-sink, and smtp-source sending as many messages of the same
size over as many kept-open connections into the same sink.

One daemon run: a fresh state folder, one series with MESSAGES participants
and one reminder due at second S, a few seconds after the daemon will be
READY (the real clock, no --clock-start: S, the sink's times and the daemon's
log are all on one clock). The run's time is from S until smtp-sink has
accepted the last message (its `-c` counter, smtp_sink.py); the daemon's log
must then show exactly MESSAGES `sent` lines and no retry or failure.
"""

import math
import subprocess
import time

from bench_env import BenchError, ServeProcess, free_port, load_1min
from series_files import rendered_message_size, write_config, write_series


class BurstRun:
    def __init__(self, seconds, first_ms, cpu_seconds, ready_s, load):
        self.seconds = seconds          # S → last message accepted
        self.first_ms = first_ms        # S → first message accepted
        self.cpu_seconds = cpu_seconds  # the daemon's CPU from READY to the last message
        self.ready_s = ready_s          # process start → READY
        self.load = load                # 1-minute load average after the run


def message_size(kutsu, work):
    """The size of one reminder of the burst series, rendered by `kutsu preview`."""
    series = write_series(work / "size" / "series.d", "burst", [math.ceil(time.time()) + 3600], 3)
    return rendered_message_size(kutsu, series, work / "size" / "preview")


def start_burst(children, kutsu, sink, folder, messages, connections, lead, token_file=None):
    """Starts a daemon whose MESSAGES reminders fall due at one second S,
    `lead` seconds from now; returns (serve, S) once it is READY before S."""
    due = math.ceil(time.time()) + lead
    write_series(folder / "series.d", "burst", [due], messages)
    config = write_config(folder, sink.port, free_port(), connections, token_file)
    serve = ServeProcess(children, kutsu, config, folder / "serve.log")
    serve.wait_ready_before(due, lead, "the burst")
    return serve, due


def check_sent_log(serve, messages):
    """Every message sent once, none retried or failed, by the daemon's own log."""
    lines = serve.log_lines()
    sent = sum(1 for line in lines if " info sent " in line)
    trouble = [line for line in lines if " retrying " in line or " failed " in line]
    if sent != messages or trouble:
        raise BenchError(f"the daemon logged {sent} sent (expected {messages}) and "
                         f"{len(trouble)} retries/failures:\n" + "\n".join(trouble[:5]))


def daemon_burst(children, kutsu, sink, folder, messages, connections, lead):
    folder.mkdir(parents=True)
    before = sink.count()
    serve, due = start_burst(children, kutsu, sink, folder, messages, connections, lead)
    cpu_at_ready = serve.cpu_seconds()
    if not sink.wait_for(before + messages, timeout=lead + 600):
        raise BenchError(f"smtp-sink got {sink.count() - before} of {messages} messages:\n"
                         f"{serve.log_tail()}")
    cpu = serve.cpu_seconds() - cpu_at_ready
    last = sink.accepted_at(before + messages)
    first = sink.accepted_at(before + 1)
    serve.terminate()
    check_sent_log(serve, messages)
    if sink.count() != before + messages:
        raise BenchError(f"smtp-sink got {sink.count() - before} messages, "
                         f"expected {messages}")
    return BurstRun(last - due, (first - due) * 1000, cpu, serve.ready_after, load_1min())


def smtp_source_burst(children, sink, messages, connections, size):
    """messages/s of `smtp-source -d -s CONNECTIONS -m MESSAGES -l SIZE`,
    from its start to its exit (once the sink accepted them all)."""
    before = sink.count()
    started = time.monotonic()
    source = children.start(
        ["smtp-source", "-d", "-s", str(connections), "-m", str(messages), "-l", str(size),
         "-f", "webinaarit@example.org", "-t", "osallistuja@example.org",
         f"127.0.0.1:{sink.port}"], measured=True, stdout=subprocess.DEVNULL)
    code = source.wait()
    elapsed = time.monotonic() - started
    children.stop(source)
    if code != 0 or not sink.wait_for(before + messages, timeout=10):
        raise BenchError(f"smtp-source exited {code}; the sink got "
                         f"{sink.count() - before} of {messages}")
    return messages / elapsed
