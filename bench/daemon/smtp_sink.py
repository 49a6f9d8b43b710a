"""postfix's smtp-sink on a loopback port, with the time each message was
accepted as seen from here.

smtp-sink -c writes its running counters (`sess=0 quit=0 mesg=N\\r`) to
stdout, unbuffered, as soon as it has received a message's final "." (and
before it answers). A thread reads them and keeps (time, count) samples:
`accepted_at(N)` is the time the N-th message was first seen. With
`batch_pause` the thread sleeps that long after each read, so that watching
a burst does not take a core from the daemon on a 2-core machine; the times
are then accurate to that pause plus the scheduling delays of this thread.

With `dump_dir`, smtp-sink also writes each message to a file there (-d),
so that what arrived can be checked message by message (`dumped_messages`).
"""

import bisect
import os
import re
import subprocess
import threading
import time

from bench_env import BenchError, free_port, wait_for_port

_COUNTER = re.compile(rb"mesg=(\d+)")


class SmtpSink:
    def __init__(self, children, error_log, batch_pause=0.002, dump_dir=None):
        self.port = free_port()
        self._batch_pause = batch_pause
        self._dump_dir = dump_dir
        options = ["-c"]
        if os.getuid() == 0:
            options += ["-u", "nobody"]  # smtp-sink refuses to run as root
        if dump_dir:
            # smtp-sink writes as `nobody`, who must also be able to enter
            # every folder above (daemon_bench.py opens its temporary folder).
            dump_dir.mkdir(parents=True)
            dump_dir.chmod(0o777)
            options += ["-d", f"{dump_dir}/%H%M%S."]
        with open(error_log, "wb") as errors:
            self.process = children.start(
                ["smtp-sink", *options, f"127.0.0.1:{self.port}", "1000"], measured=True,
                stdout=subprocess.PIPE, stderr=errors)
        self._times = []   # when each sample was read
        self._counts = []  # the counter then (non-decreasing)
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        wait_for_port(self.port, self.process)

    def _read(self):
        fd = self.process.stdout.fileno()
        while True:
            data = os.read(fd, 1 << 16)
            now = time.time()
            if not data:
                return
            found = _COUNTER.findall(data)
            if found:
                with self._changed:
                    self._times.append(now)
                    self._counts.append(int(found[-1]))
                    self._changed.notify_all()
            if self._batch_pause:
                time.sleep(self._batch_pause)

    def count(self):
        with self._changed:
            return self._counts[-1] if self._counts else 0

    def wait_for(self, count, timeout):
        """Blocks until `count` messages were accepted in all; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._counts or self._counts[-1] < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    return False
                self._changed.wait(min(left, 0.5))
        return True

    def accepted_at(self, count):
        """The wall-clock time (epoch seconds) the count first reached `count`."""
        with self._changed:
            index = bisect.bisect_left(self._counts, count)
            if index == len(self._counts):
                raise BenchError(f"smtp-sink has not accepted {count} messages")
            return self._times[index]

    def arrival_times(self):
        """The time each message was seen accepted, in order (several
        messages seen in one read share its time)."""
        times, previous = [], 0
        with self._changed:
            for seen, count in zip(self._times, self._counts):
                times += [seen] * (count - previous)
                previous = count
        return times

    def dumped_messages(self):
        """The bytes of every message in dump_dir (with smtp-sink's own
        X-/Received: lines in front)."""
        return [path.read_bytes() for path in sorted(self._dump_dir.iterdir())]
