"""What the daemon benchmarks share: child processes that never outlive the
benchmark, `kutsu serve` watched through its own NOTIFY_SOCKET, the machine
load, free loopback ports and the statistics.

Every child is started through `Children.start`; `Children.stop_all` (run at
exit, also on SIGINT/SIGTERM) ends the ones still running, by pid. Children
also get SIGKILL from the kernel when this process dies (PR_SET_PDEATHSIG),
except smtp-sink after it switched to `nobody` (the kernel clears the signal
on a change of user), which only `stop_all` ends.
"""

import atexit
import ctypes
import math
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time


class BenchError(Exception):
    """A benchmark run that cannot give a trustworthy figure."""


def _die_with_parent():
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Children:
    """`nice`: the niceness for the programs measured (`measured=True`), e.g.
    -10 to see what they do when other work on the machine does not take
    their CPU; None runs them like everything else."""

    def __init__(self, nice=None):
        self._nice = nice
        self._running = []
        atexit.register(self.stop_all)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda number, frame: sys.exit(128 + number))

    def start(self, argv, measured=False, **popen_options):
        if measured and self._nice is not None:
            argv = ["nice", "-n", str(self._nice), *argv]  # nice execs: the pid stays
        child = subprocess.Popen(argv, preexec_fn=_die_with_parent, **popen_options)
        self._running.append(child)
        return child

    def stop(self, child, timeout=15):
        """SIGTERM, then SIGKILL after `timeout`; the exit code."""
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if child in self._running:
            self._running.remove(child)
        return child.returncode

    def stop_all(self):
        for child in list(self._running):
            self.stop(child, timeout=5)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"server on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise BenchError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def machine_load():
    """'2 cores, load 1.23 0.98 0.75' — noted with every figure, since other
    builds on this machine slow the daemon down."""
    load = pathlib.Path("/proc/loadavg").read_text().split()[:3]
    return f"{os.cpu_count()} cores, load {' '.join(load)}"


def load_1min():
    return float(pathlib.Path("/proc/loadavg").read_text().split()[0])


def median(values):
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if len(ordered) % 2 else \
        (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with at least `fraction`
    of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[rank - 1]


def cpu_seconds(pid):
    """User + system CPU seconds of a live process."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise BenchError(f"no VmHWM for pid {pid}")


class ServeProcess:
    """`kutsu serve --config CONFIG`, its log in LOG, READY=1 read from a
    NOTIFY_SOCKET of its own (as systemd would)."""

    def __init__(self, children, kutsu, config, log, extra_args=()):
        self._children = children
        self.log = pathlib.Path(log)
        self._socket_path = self.log.with_suffix(".notify")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self._socket_path))
        env = dict(os.environ, NOTIFY_SOCKET=str(self._socket_path))
        env.pop("WATCHDOG_USEC", None)
        with open(self.log, "wb") as out:
            self.started = time.monotonic()
            self.process = children.start(
                [kutsu, "serve", "--config", str(config), *extra_args], measured=True,
                stdout=out, stderr=subprocess.STDOUT, env=env)
        self.ready_after = None  # seconds from start to READY=1

    def wait_ready(self, timeout=120):
        """Blocks until READY=1; the seconds since the process started."""
        deadline = time.monotonic() + timeout
        self._socket.settimeout(0.1)
        while time.monotonic() < deadline:
            try:
                message = self._socket.recv(4096)
            except socket.timeout:
                if self.process.poll() is not None:
                    raise BenchError(f"kutsu serve exited with {self.process.returncode} "
                                     f"before READY:\n{self.log_tail()}")
                continue
            if b"READY=1" in message.split(b"\n"):
                self.ready_after = time.monotonic() - self.started
                return self.ready_after
        raise BenchError(f"kutsu serve not READY after {timeout} s:\n{self.log_tail()}")

    def wait_ready_before(self, first_due, lead, what):
        """wait_ready(), and READY at least 0.2 s before `first_due` (epoch
        seconds), so that what is measured finds the daemon serving; else the
        daemon is stopped and a BenchError names `what` and the `lead` given."""
        self.wait_ready()
        if time.time() > first_due - 0.2:
            self.terminate()
            raise BenchError(f"the daemon became READY only {self.ready_after:.1f} s after start, "
                             f"too close to {what}; give a longer lead than {lead} s")

    def record_notifications(self):
        """From now on, a thread keeps every sd_notify message with the time
        it came (time.time(), message lines) in self.notifications."""
        self.notifications = []

        def read():
            self._socket.settimeout(0.2)
            while self.process.poll() is None:
                try:
                    message = self._socket.recv(4096)
                except (socket.timeout, OSError):
                    continue
                self.notifications.append((time.time(), message.decode().split("\n")))

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def peak_rss_mb(self):
        return peak_rss_mb(self.process.pid)

    def log_lines(self):
        return self.log.read_text(errors="replace").splitlines()

    def log_tail(self, lines=20):
        return "\n".join(self.log_lines()[-lines:])

    def terminate(self):
        """SIGTERM; fails loudly unless the daemon exits 0 as it promises."""
        code = self._children.stop(self.process, timeout=30)
        self._socket.close()
        self._socket_path.unlink(missing_ok=True)
        if code != 0:
            raise BenchError(f"kutsu serve exited with {code} on SIGTERM:\n{self.log_tail()}")
