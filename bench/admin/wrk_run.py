"""One wrk run against the admin API, and what its report says.

wrk --latency prints requests/s and a latency distribution (50/75/90/99 %).
A run that got any answer other than 2xx/3xx, or socket errors, measured
something else than the route (a 401 is cheap), so it fails the benchmark.
"""

import re
import subprocess

from bench_env import BenchError

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class WrkResult:
    def __init__(self, requests_per_s, p50_ms, p99_ms, requests):
        self.requests_per_s = requests_per_s
        self.p50_ms = p50_ms
        self.p99_ms = p99_ms
        self.requests = requests


def _ms(text):
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not found:
        raise BenchError(f"wrk: cannot read the latency '{text}'")
    return float(found.group(1)) * _UNITS[found.group(2)]


def parse_wrk(report):
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", report, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", report, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", report, re.MULTILINE)
    if not (rate and p50 and p99 and total):
        raise BenchError(f"wrk: unexpected report:\n{report}")
    if "Non-2xx or 3xx responses" in report or "Socket errors" in report:
        raise BenchError(f"wrk: errors or non-2xx answers:\n{report}")
    return WrkResult(float(rate.group(1)), _ms(p50.group(1)), _ms(p99.group(1)),
                     int(total.group(1)))


def start_wrk(children, url, token, threads, connections, seconds):
    """Starts wrk (with the bearer token when given); finish with `finish_wrk`."""
    argv = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    if token:
        argv += ["-H", f"Authorization: Bearer {token}"]
    return children.start(argv + [url], measured=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def finish_wrk(children, process, seconds):
    try:
        report, _ = process.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        children.stop(process)
        raise BenchError("wrk did not finish")
    children.stop(process)
    if process.returncode != 0:
        raise BenchError(f"wrk exited with {process.returncode}:\n{report}")
    return parse_wrk(report)
