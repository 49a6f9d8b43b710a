#!/usr/bin/python3
"""The daemon benchmarks: runs `kutsu serve` (a Release build) and prints
five Markdown tables: a 20,000-message burst against smtp-sink compared with
smtp-source, the lateness of 2,000 notifications spread over a minute,
start-up with 1,000,000 pending notifications, the lateness of a steady
stream while a 500,000-row series is reloaded three times, and a soak of ten
minutes of sends and reloads (memory and descriptors must stay flat). Each
table notes the machine's load, since other work on the machine slows the
daemon; each gives `bench/run all` its row (bench/rows.py).

Usage: daemon_bench.py --kutsu BIN [--only burst|lateness|startup|reload|soak] ...
(bench/daemon/run builds the binary and calls this). Exits 1 with the reason
when a run cannot give a trustworthy figure (a message lost or sent twice, a
daemon not ready in time, a non-zero exit on SIGTERM).
"""

import argparse
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))

from bench_env import (BenchError, Children, load_1min, machine_load, median,  # noqa: E402
                       percentile)
from rows import bench_row  # noqa: E402
from burst import daemon_burst, message_size, smtp_source_burst  # noqa: E402
from lateness import lateness_run  # noqa: E402
from reload import reload_lateness_run  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from soak import soak_run  # noqa: E402
from startup import startup_runs  # noqa: E402


def verdict(ok):
    return "ok" if ok else "MISSED"


def progress(text):
    print(text, file=sys.stderr, flush=True)


def burst_table(args, children, work):
    load_before = machine_load()
    size = message_size(args.kutsu, work)
    sink = SmtpSink(children, work / "sink.err")
    kutsu_runs, source_rates = [], []
    # Interleaved, so that load from elsewhere on the machine falls on both alike.
    for number in range(args.rounds):
        progress(f"  burst round {number + 1}/{args.rounds}: kutsu serve ...")
        kutsu_runs.append(daemon_burst(children, args.kutsu, sink, work / f"burst-{number}",
                                       args.messages, args.connections, args.lead))
        progress(f"  burst round {number + 1}/{args.rounds}: smtp-source ...")
        source_rates.append(smtp_source_burst(children, sink, args.messages, args.connections,
                                              size))
    children.stop(sink.process)

    middle = sorted(kutsu_runs, key=lambda run: run.seconds)[(args.rounds - 1) // 2]
    kutsu_rate = args.messages / middle.seconds
    source_rate = median(source_rates)
    ratio = kutsu_rate / source_rate
    print(f"\n### Burst: {args.messages:,} reminders ({size} B each) due at one second, "
          f"to smtp-sink over {args.connections} connections\n")
    print(f"Median of {args.rounds} runs. Machine: {load_before} before; "
          f"1-min load after each daemon run: "
          f"{', '.join(f'{run.load:.2f}' for run in kutsu_runs)}.")
    print("kutsu: from the due second S until smtp-sink's counter (-c) reached the last "
          "message; smtp-source: its wall time.")
    if load_1min() > 1.5:
        print("Busy machine: other work takes CPU from kutsu, smtp-source and smtp-sink alike "
              "(a starved sink slows both senders), so the ratio is only comparable between "
              "runs at low load.")
    print()
    print("| sender | time s | msg/s | runs (msg/s) |")
    print("|---|---:|---:|---|")
    print(f"| kutsu serve, due at S → last accepted | {middle.seconds:.2f} | {kutsu_rate:,.0f} | "
          + ", ".join(f"{args.messages / run.seconds:,.0f}" for run in kutsu_runs) + " |")
    print(f"| smtp-source -d -s {args.connections} -m {args.messages} -l {size} | "
          f"{args.messages / source_rate:.2f} | {source_rate:,.0f} | "
          + ", ".join(f"{rate:,.0f}" for rate in source_rates) + " |")
    print(f"| **ratio kutsu / smtp-source** (target ≥ 1.0) | | **{ratio:.2f}** "
          f"{verdict(ratio >= 1.0)} | each round: "
          + ", ".join(f"{args.messages / run.seconds / rate:.2f}"
                      for run, rate in zip(kutsu_runs, source_rates)) + " |")
    bench_row(f"daemon burst: {args.messages:,} reminders due at one second to smtp-sink",
              f"{kutsu_rate:,.0f} msg/s", f"smtp-source {source_rate:,.0f} msg/s",
              f"{ratio:.2f}", ">= 1.0", verdict(ratio >= 1.0))
    print(f"\nkutsu median run: first message accepted {middle.first_ms:.0f} ms after S; "
          f"daemon CPU {middle.cpu_seconds:.2f} s (user+sys) from READY to the last message; "
          f"READY {middle.ready_s:.2f} s after start.")


def lateness_table(args, children, work):
    load_before = machine_load()
    run = lateness_run(children, args.kutsu, work / "lateness", args.sessions,
                       args.participants, args.lead, args.spread)
    values = run.lateness_ms
    p50, p99, worst = percentile(values, 0.50), percentile(values, 0.99), max(values)
    print(f"\n### Lateness: {len(values):,} e-mail reminders due over {run.spread_s} s "
          f"({args.sessions} due seconds × {args.participants} each): accepted by smtp-sink "
          f"minus due time\n")
    print(f"One run. Machine: {load_before} before, 1-min load {run.load:.2f} after. "
          f"Earliest arrival {min(values):.1f} ms after its due second.\n")
    print("| lateness | ms | target |")
    print("|---|---:|---|")
    print(f"| p50 | {p50:.1f} | |")
    print(f"| p99 | {p99:.1f} | < 20 ms {verdict(p99 < 20)} |")
    print(f"| max | {worst:.1f} | < 100 ms {verdict(worst < 100)} |")
    bench_row(f"lateness: {len(values):,} reminders over {run.spread_s + 1} s, p99 / max",
              f"{p99:.1f} / {worst:.1f} ms", "—", "—", "< 20 / < 100 ms",
              verdict(p99 < 20 and worst < 100))
    firsts = [min(group) for group in run.by_second.values()]
    lasts = [max(group) for group in run.by_second.values()]
    print(f"\nPer due second ({args.participants} reminders each): the first arrived after "
          f"{median(firsts):.1f} ms (median; max {max(firsts):.1f}), the last after "
          f"{median(lasts):.1f} ms (median; max {max(lasts):.1f}).")


def startup_table(args, children, work):
    load_before = machine_load()
    fill, again, count = startup_runs(children, args.kutsu, work / "startup",
                                      args.startup_sessions, args.startup_participants,
                                      args.rounds)
    middle = sorted(again, key=lambda run: run.ready_s)[(len(again) - 1) // 2]
    ok = middle.ready_s < 2 and middle.peak_mb < 300
    print(f"\n### Start-up with {count:,} pending notifications "
          f"({args.startup_sessions} sessions × {args.startup_participants:,} participants × 4 "
          f"reminders)\n")
    print(f"Machine: {load_before} before; 1-min load at each READY: fill {fill.load:.2f}, "
          f"restarts {', '.join(f'{run.load:.2f}' for run in again)}. Process start → READY=1 "
          f"on its NOTIFY_SOCKET; peak RSS = VmHWM at READY.\n")
    print("| start | to READY s | CPU s | peak RSS MB | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| first start: empty outbox, plans and inserts {count:,} | {fill.ready_s:.2f} | "
          f"{fill.cpu_s:.2f} | {fill.peak_mb:.0f} | < 3 s {verdict(fill.ready_s < 3)} |")
    print(f"| restart: {count:,} pending, nothing changed (median of {len(again)}: "
          + ", ".join(f"{run.ready_s:.2f}" for run in again)
          + f" s) | {middle.ready_s:.2f} | {middle.cpu_s:.2f} | {middle.peak_mb:.0f} | "
          f"< 2 s, < 300 MB {verdict(ok)} |")
    bench_row(f"first start: plans and stores {count:,} new notifications, to READY",
              f"{fill.ready_s:.2f} s, {fill.peak_mb:.0f} MB", "—", "—", "< 3 s",
              verdict(fill.ready_s < 3))
    bench_row(f"restart with {count:,} pending, to READY", f"{middle.ready_s:.2f} s, "
              f"{middle.peak_mb:.0f} MB", "—", "—", "< 2 s, < 300 MB", verdict(ok))


def reload_table(args, children, work):
    load_before = machine_load()
    run = reload_lateness_run(children, args.kutsu, work / "reload", 60, 3,
                              args.reload_sessions, args.reload_participants, args.reload_lead,
                              args.spread)
    values = run.lateness_ms
    p50, p99, worst = percentile(values, 0.50), percentile(values, 0.99), max(values)
    print(f"\n### Lateness during reloads: {len(values):,} e-mail reminders due over "
          f"{args.spread} s while a {run.big_rows:,}-row series is moved and reloaded "
          f"{len(run.reload_seconds)} times\n")
    print(f"One run. Machine: {load_before} before, 1-min load {run.load:.2f} after. Each "
          f"reload (RELOADING=1 → READY=1): "
          + ", ".join(f"{seconds:.1f} s" for seconds in run.reload_seconds) + ".\n")
    print("| lateness | ms | target |")
    print("|---|---:|---|")
    print(f"| p50 | {p50:.1f} | |")
    print(f"| p99 | {p99:.1f} | < 20 ms {verdict(p99 < 20)} |")
    print(f"| max | {worst:.1f} | < 100 ms {verdict(worst < 100)} |")
    bench_row(f"lateness during 3 reloads of {run.big_rows:,} rows, p99 / max",
              f"{p99:.1f} / {worst:.1f} ms", "—", "—", "< 20 / < 100 ms",
              verdict(p99 < 20 and worst < 100))


def soak_table(args, children, work):
    load_before = machine_load()
    run = soak_run(children, args.kutsu, work / "soak", args.soak_seconds, 5, 10)
    warm = max(10, args.soak_seconds // 5)
    span = max(5, args.soak_seconds // 10)
    first_rss, first_fds = run.window(warm, warm + span)
    last_rss, last_fds = run.window(args.soak_seconds - span, args.soak_seconds)
    rss_growth = last_rss / first_rss - 1
    fd_growth = last_fds / first_fds - 1
    ok = rss_growth < 0.05 and fd_growth < 0.05
    print(f"\n### Soak: {args.soak_seconds} s of steady sends (5 reminders a second, "
          f"{run.sent:,} in all) and {run.reloads} reloads\n")
    print(f"Machine: {load_before} before, 1-min load {run.load:.2f} after. Means over "
          f"{span} s windows, the first after {warm} s of warm-up.\n")
    print("| measure | first window | last window | growth | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| resident memory MB | {first_rss:.1f} | {last_rss:.1f} | {rss_growth:+.1%} | "
          f"< 5 % {verdict(rss_growth < 0.05)} |")
    print(f"| open descriptors | {first_fds:.1f} | {last_fds:.1f} | {fd_growth:+.1%} | "
          f"< 5 % {verdict(fd_growth < 0.05)} |")
    bench_row(f"soak: {args.soak_seconds} s of sends and {run.reloads} reloads, growth of "
              "RSS / descriptors", f"{rss_growth:+.1%} / {fd_growth:+.1%}", "—", "—", "< 5 %",
              verdict(ok))


TABLES = {"burst": burst_table, "lateness": lateness_table, "startup": startup_table,
          "reload": reload_table, "soak": soak_table}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kutsu", required=True, help="the kutsu binary (a Release build)")
    parser.add_argument("--only", choices=sorted(TABLES), action="append",
                        help="run only this table (repeatable)")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=50, help="lateness: due seconds")
    parser.add_argument("--participants", type=int, default=40,
                        help="lateness: reminders due at each of those seconds")
    parser.add_argument("--lead", type=int, default=6,
                        help="seconds from the daemon's start to the first due time")
    parser.add_argument("--reload-lead", type=int, default=40,
                        help="reload: seconds from the start to the first due time (the first "
                        "start plans 500,000 rows)")
    parser.add_argument("--spread", type=int, default=60,
                        help="lateness and reload: seconds the due times are spread over")
    parser.add_argument("--startup-sessions", type=int, default=200)
    parser.add_argument("--startup-participants", type=int, default=1250)
    parser.add_argument("--reload-sessions", type=int, default=500,
                        help="reload: sessions of the big series (× --reload-participants rows)")
    parser.add_argument("--reload-participants", type=int, default=1000)
    parser.add_argument("--soak-seconds", type=int, default=600)
    parser.add_argument("--nice", type=int,
                        help="run kutsu serve, smtp-source and smtp-sink at this niceness (e.g. "
                        "-10, as root), to see past other work on a busy machine")
    args = parser.parse_args()
    args.kutsu = str(pathlib.Path(args.kutsu).resolve())

    children = Children(args.nice)
    priority = f", measured programs at nice {args.nice}" if args.nice is not None else ""
    print(f"## kutsu serve benchmarks ({time.strftime('%Y-%m-%d %H:%M %Z')}, "
          f"{machine_load()}{priority})")
    with tempfile.TemporaryDirectory(prefix="kutsu-bench-daemon-") as work:
        pathlib.Path(work).chmod(0o711)  # smtp-sink, as `nobody`, dumps into a folder here
        try:
            for name in args.only or list(TABLES):
                progress(f"== {name}")
                TABLES[name](args, children, pathlib.Path(work))
                sys.stdout.flush()
        except BenchError as error:
            print(f"daemon_bench: {error}", file=sys.stderr)
            return 1
        finally:
            children.stop_all()  # before their folder goes
    return 0


if __name__ == "__main__":
    sys.exit(main())
