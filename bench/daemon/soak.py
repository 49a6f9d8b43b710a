"""Soak: `kutsu serve` sending steadily (PER_SECOND e-mail reminders due
every second) for SECONDS while the series file is edited and reloaded every
RELOAD_EVERY seconds. Samples the daemon's resident memory (VmRSS) and open
descriptors (/proc/PID/fd) once a second; what matters is that neither grows
from the first window after warm-up to the last (target < 5 %). Fails unless
every reminder arrived."""

import math
import os
import signal
import sys
import time

from bench_env import BenchError, ServeProcess, free_port, load_1min
from series_files import write_config, write_series
from smtp_sink import SmtpSink


class SoakRun:
    def __init__(self, samples, reloads, sent, load):
        self.samples = samples  # (seconds since the first due, rss MB, fds)
        self.reloads = reloads
        self.sent = sent
        self.load = load

    def window(self, first, last):
        chosen = [sample for sample in self.samples if first <= sample[0] < last]
        if not chosen:
            raise BenchError(f"no samples between {first} and {last} s")
        return (sum(sample[1] for sample in chosen) / len(chosen),
                sum(sample[2] for sample in chosen) / len(chosen))


def resident_mb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise BenchError("no VmRSS")


def soak_run(children, kutsu, folder, seconds, per_second, reload_every, lead=6):
    folder.mkdir(parents=True)
    sink = SmtpSink(children, folder / "sink.err", batch_pause=0)
    first = math.ceil(time.time()) + lead
    dues = [first + number for number in range(seconds)]
    series = write_series(folder / "series.d", "soak", dues, per_second)
    text = series.read_text(encoding="utf-8")
    serve = ServeProcess(children, kutsu, write_config(folder, sink.port, free_port()),
                         folder / "serve.log")
    serve.wait_ready_before(first, lead, "the first due time")
    pid = serve.process.pid
    print(f"  soak: {seconds * per_second} reminders over {seconds} s, a reload every "
          f"{reload_every} s ...", file=sys.stderr)
    samples, reloads = [], 0
    next_reload = first + reload_every
    while time.time() < first + seconds:
        now = time.time()
        samples.append((now - first, resident_mb(pid), len(os.listdir(f"/proc/{pid}/fd"))))
        if now >= next_reload:
            reloads += 1
            series.write_text(text + f"# edit {reloads}\n", encoding="utf-8")
            serve.process.send_signal(signal.SIGHUP)
            next_reload += reload_every
        time.sleep(max(0.0, 1 - (time.time() - now)))
    expected = seconds * per_second
    arrived = sink.wait_for(expected, timeout=60)
    serve.terminate()
    children.stop(sink.process)
    if not arrived or sink.count() != expected:
        raise BenchError(f"smtp-sink got {sink.count()} of {expected} messages:\n"
                         f"{serve.log_tail()}")
    return SoakRun(samples, reloads, expected, load_1min())
