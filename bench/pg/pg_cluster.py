"""A private PostgreSQL 15 cluster for the benchmark, as the tests' fixture
(tests/fixtures/postgres_cluster.cpp) starts one: `initdb` into a temporary
folder (as the `postgres` user when this runs as root, since PostgreSQL
refuses root, through `setpriv`), `postgres` with its unix socket in that
folder and no TCP listener, and a fresh database for each daemon run.

Durability is off (fsync, full_page_writes, synchronous_commit): a
benchmark's database need not survive a crash of the machine, and with it
on the figures would measure this machine's disk flushes, not Kutsu. A real
deployment keeps PostgreSQL's defaults, so its commits cost a flush each.
"""

import os
import pathlib
import pwd
import signal
import subprocess
import time

from bench_env import BenchError


class PgCluster:
    def __init__(self, children, bin_dir, folder):
        self._children = children
        self._bin = bin_dir
        self.dir = folder
        folder.mkdir(parents=True)
        self._owner = []
        if os.getuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
            self._owner = [f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}",
                           "--clear-groups"]
        data = folder / "data"
        self._run(["initdb", f"--pgdata={data}", "--username=kutsu", "--auth=trust",
                   "--locale=C", "--encoding=UTF8", "--no-sync", "--no-instructions"])
        self._log = open(folder.parent / "postgres.log", "wb")
        self.process = children.start(
            self._as_owner([f"{bin_dir}/postgres", "-D", str(data), "-k", str(folder),
                            "-c", "listen_addresses=", "-c", "fsync=off",
                            "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
                            "-c", "max_connections=100", "-c", "shared_buffers=128MB"]),
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while subprocess.run([f"{bin_dir}/pg_isready", "-q", "-h", str(folder), "-U", "kutsu",
                              "-d", "postgres"], check=False).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"postgres did not start; see {folder.parent / 'postgres.log'}")
            time.sleep(0.1)
        self._databases = 0

    def _as_owner(self, argv):
        return ["setpriv", "--pdeathsig", "KILL", *self._owner, "--", *argv]

    def _run(self, argv):
        argv = [f"{self._bin}/{argv[0]}", *argv[1:]]
        done = subprocess.run(self._as_owner(argv), cwd=self.dir, capture_output=True,
                              check=False)
        if done.returncode != 0:
            raise BenchError(f"{argv[0]} exited with {done.returncode}:\n"
                             f"{done.stdout.decode()}{done.stderr.decode()}")

    def fresh_database(self):
        """A new empty database; its libpq URI (user kutsu, trusted, over the socket)."""
        self._databases += 1
        name = f"bench{self._databases}"
        self._run(["createdb", "-h", str(self.dir), "-U", "kutsu", name])
        return f"postgresql:///{name}?host={self.dir}&user=kutsu"

    def cpu_seconds(self):
        """User + system CPU seconds of the server and its live backends (the
        daemons' connections live through a run, so a difference is theirs)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            pid = int(stat.parent.name)
            if pid == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self):
        """A fast shutdown (SIGINT): the daemons are stopped already."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        self._children.stop(self.process, timeout=30)
        self._log.close()
