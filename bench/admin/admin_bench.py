#!/usr/bin/python3
"""The admin API benchmark of issue #5: wrk against /healthz and
/api/v1/status of a running `kutsu serve` on loopback, idle and during a
burst of 40,000 e-mails (the burst of bench/daemon, twice as large: one
series with 40,000 participants and one reminder due at second S, e-mail to
smtp-sink over 8 connections). Twice as large because 20,000 now reach the
sink in under a second, shorter than wrk's shortest run. Prints a Markdown
table with the machine's load.

Idle: the same outbox, its reminders due in an hour. During the
burst: wrk starts at S and runs for --burst-seconds; the table says how much
of wrk's run the burst covered (under 90 % the row is marked not measured:
lower --burst-seconds, or give more --messages).

Usage: admin_bench.py --kutsu BIN [--duration S] [--threads N] [--connections N]
"""

import argparse
import pathlib
import re
import secrets
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "daemon"))

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))
from rows import bench_row  # noqa: E402
from bench_env import BenchError, Children, machine_load  # noqa: E402
from burst import check_sent_log, start_burst  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from wrk_run import finish_wrk, start_wrk  # noqa: E402

ROUTES = [("/healthz", False), ("/api/v1/status", True)]  # (path, needs the token)
LISTENING = re.compile(r"admin API listening on (\S+)")


def admin_address(serve):
    """HOST:PORT from the daemon's log; fails when the admin API is not there."""
    for line in serve.log_lines():
        found = LISTENING.search(line)
        if found:
            return found.group(1)
    raise BenchError("the daemon did not log 'admin API listening on'; is the admin API wired?")


def verdict(ok):
    return "ok" if ok else "MISSED"


def idle_rows(args, children, sink, work, token_file, token):
    folder = work / "idle"
    folder.mkdir()
    serve, _ = start_burst(children, args.kutsu, sink, folder, args.messages, 8, 3600, token_file)
    address = admin_address(serve)
    rows = []
    for path, private in ROUTES:
        load = machine_load()
        wrk = start_wrk(children, f"http://{address}{path}", token if private else None,
                        args.threads, args.connections, args.duration)
        result = finish_wrk(children, wrk, args.duration)
        ok = result.requests_per_s >= 20000 and result.p99_ms < 5
        rows.append((f"idle, {path}", result, f"≥ 20,000/s, p99 < 5 ms {verdict(ok)}", load, ""))
    serve.terminate()
    return rows


def burst_row(args, children, sink, work, token_file, token, path, private):
    folder = work / f"burst{path.replace('/', '-')}"
    folder.mkdir()
    before = sink.count()
    serve, due = start_burst(children, args.kutsu, sink, folder, args.messages, 8, args.lead,
                             token_file)
    address = admin_address(serve)
    time.sleep(max(0.0, due - time.time()))
    load = machine_load()
    started = time.time()
    wrk = start_wrk(children, f"http://{address}{path}", token if private else None,
                    args.threads, args.connections, args.burst_seconds)
    result = finish_wrk(children, wrk, args.burst_seconds)
    ended = time.time()
    if not sink.wait_for(before + args.messages, timeout=600):
        raise BenchError(f"smtp-sink got {sink.count() - before} of {args.messages}")
    burst_end = sink.accepted_at(before + args.messages)
    serve.terminate()
    check_sent_log(serve, args.messages)
    covered = max(0.0, min(ended, burst_end) - started) / (ended - started)
    note = (f"burst took {burst_end - due:.2f} s; it covered {covered:.0%} of wrk's "
            f"{ended - started:.1f} s")
    if covered < 0.9:  # mostly an idle daemon: no figure for "during the burst"
        target = "p99 < 50 ms: NOT MEASURED, the burst ended first (lower --burst-seconds)"
    else:
        target = f"p99 < 50 ms {verdict(result.p99_ms < 50)}"
    return (f"burst, {path}", result, target, load, note)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kutsu", required=True)
    parser.add_argument("--messages", type=int, default=40000)
    parser.add_argument("--duration", type=int, default=10, help="idle wrk run, seconds")
    parser.add_argument("--burst-seconds", type=int, default=1,
                        help="wrk run from the burst's due second (the burst must outlast it)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--lead", type=int, default=6,
                        help="seconds from the daemon's start to the burst")
    parser.add_argument("--nice", type=int,
                        help="run kutsu serve, wrk and smtp-sink at this niceness (e.g. -10, as "
                        "root), to see past other work on a busy machine")
    args = parser.parse_args()
    args.kutsu = str(pathlib.Path(args.kutsu).resolve())

    children = Children(args.nice)
    with tempfile.TemporaryDirectory(prefix="kutsu-bench-admin-") as work_name:
        work = pathlib.Path(work_name)
        token = secrets.token_hex(24)
        token_file = work / "admin-token"
        token_file.write_text(token + "\n")
        token_file.chmod(0o600)
        try:
            sink = SmtpSink(children, work / "sink.err")
            rows = idle_rows(args, children, sink, work, token_file, token)
            for path, private in ROUTES:
                print(f"  burst with wrk on {path} ...", file=sys.stderr, flush=True)
                rows.append(burst_row(args, children, sink, work, token_file, token, path,
                                      private))
        except BenchError as error:
            print(f"admin_bench: {error}", file=sys.stderr)
            return 1
        finally:
            children.stop_all()

    print(f"\n### Admin API under wrk ({args.threads} thread, {args.connections} connections, "
          f"loopback; idle {args.duration} s per route, {args.burst_seconds} s from the "
          f"due second of a {args.messages:,}-mail burst"
          + (f"; kutsu serve, wrk and smtp-sink at nice {args.nice}"
             if args.nice is not None else "")
          + ")\n")
    print("| when, route | requests/s | p50 ms | p99 ms | target | machine at start | note |")
    print("|---|---:|---:|---:|---|---|---|")
    for name, result, target, load, note in rows:
        print(f"| {name} | {result.requests_per_s:,.0f} | {result.p50_ms:.2f} | "
              f"{result.p99_ms:.2f} | {target} | {load} | {note} |")
        verdict_word = target.split()[-1] if target.split()[-1] in ("ok", "MISSED") else "—"
        bench_row(f"admin API: {name}", f"{result.requests_per_s:,.0f} req/s, p99 "
                  f"{result.p99_ms:.2f} ms", "—", "—", " ".join(target.split()[:-1])
                  if verdict_word != "—" else target, verdict_word)
    return 0


if __name__ == "__main__":
    sys.exit(main())
