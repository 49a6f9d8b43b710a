#!/usr/bin/python3
"""The PostgreSQL benchmarks: `kutsu serve` (a Release build) with its outbox
in a private PostgreSQL 15 cluster (pg_cluster.py), measured as
bench/daemon measures it on SQLite, and beside the SQLite figure of the same
run: a 20,000-message burst due at one second against smtp-sink with one node
and with three (three `kutsu serve` processes, their own node names and admin
ports, the same series files, one database), compared with smtp-source; and
the lateness of 2,000 notifications spread over a minute on one node; and a
restart with 1,000,000 notifications pending (the first start fills them; only
with --only startup, since that fill takes minutes on PostgreSQL). Each
table notes the machine's load; each gives `bench/run all` its rows.

Usage: pg_bench.py --kutsu BIN --pg-bin DIR [--only burst|lateness|startup] ...
(bench/pg/run builds the binary and calls this). Exits 1 with the reason
when a run cannot give a trustworthy figure (a message lost or sent twice, a
daemon not ready in time, a non-zero exit on SIGTERM).
"""

import argparse
import pathlib
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "daemon"))
sys.path.insert(0, str(HERE.parent))

from bench_env import BenchError, Children, load_1min, machine_load, median, percentile  # noqa: E402,E501
from burst import daemon_burst, message_size, smtp_source_burst  # noqa: E402
from lateness import lateness_run  # noqa: E402
from pg_cluster import PgCluster  # noqa: E402
from pg_runs import pg_burst, pg_lateness_run, pg_startup_runs  # noqa: E402
from rows import bench_row  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from startup import startup_runs  # noqa: E402


def verdict(ok):
    return "ok" if ok else "MISSED"


def progress(text):
    print(text, file=sys.stderr, flush=True)


def burst_table(args, children, work, cluster):
    load_before = machine_load()
    size = message_size(args.kutsu, work)
    sink = SmtpSink(children, work / "sink.err")
    senders = {"sqlite": [], "pg1": [], "pg3": []}
    source_rates = []
    # Interleaved, so that load from elsewhere on the machine falls on all alike.
    for number in range(args.rounds):
        round_name = f"  burst round {number + 1}/{args.rounds}"
        progress(f"{round_name}: kutsu serve on SQLite ...")
        senders["sqlite"].append(daemon_burst(children, args.kutsu, sink,
                                              work / f"burst-{number}-sqlite", args.messages,
                                              args.connections, args.lead))
        for nodes in (1, 3):
            progress(f"{round_name}: {nodes} × kutsu serve on PostgreSQL ...")
            senders[f"pg{nodes}"].append(pg_burst(
                children, args.kutsu, sink, cluster,
                work / f"burst-{number}-pg{nodes}", nodes, args.messages, args.connections,
                args.pg_lead))
        progress(f"{round_name}: smtp-source ...")
        source_rates.append(smtp_source_burst(children, sink, args.messages, args.connections,
                                              size))
    children.stop(sink.process)

    def middle(runs):
        return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]

    source_rate = median(source_rates)
    rate = {name: args.messages / middle(runs).seconds for name, runs in senders.items()}
    print(f"\n### Burst on PostgreSQL: {args.messages:,} reminders ({size} B each) due at one "
          f"second, to smtp-sink over {args.connections} connections per node\n")
    print(f"Median of {args.rounds} runs. Machine: {load_before} before; 1-min load after each "
          f"PostgreSQL run (1 node): "
          f"{', '.join(f'{run.load:.2f}' for run in senders['pg1'])}, (3 nodes): "
          f"{', '.join(f'{run.load:.2f}' for run in senders['pg3'])}. PostgreSQL 15 on this "
          "machine, unix socket, fsync off; a fresh database each run.")
    print("kutsu: from the due second S until smtp-sink's counter (-c) reached the last "
          "message, each message exactly once (the sink's count and every node's log); "
          "smtp-source: its wall time.")
    if load_1min() > 1.5:
        print("Busy machine: other work takes CPU from kutsu, PostgreSQL, smtp-source and "
              "smtp-sink alike, so the ratios are only comparable between runs at low load.")
    print()
    print("| sender | time s | msg/s | ratio to smtp-source | target | runs (msg/s) |")
    print("|---|---:|---:|---:|---|---|")
    labels = {"sqlite": "kutsu serve, SQLite (1 node)",
              "pg1": "kutsu serve, PostgreSQL, 1 node",
              "pg3": "kutsu serve, PostgreSQL, 3 nodes together"}
    targets = {"sqlite": "—", "pg1": "≥ 0.6", "pg3": "≥ 1 node's rate"}
    met = {"pg1": rate["pg1"] / source_rate >= 0.6, "pg3": rate["pg3"] >= rate["pg1"]}
    for name, runs in senders.items():
        target = targets[name] if name not in met else f"{targets[name]} {verdict(met[name])}"
        print(f"| {labels[name]}, S → last accepted | {middle(runs).seconds:.2f} | "
              f"{rate[name]:,.0f} | {rate[name] / source_rate:.2f} | {target} | "
              + ", ".join(f"{args.messages / run.seconds:,.0f}" for run in runs) + " |")
    print(f"| smtp-source -d -s {args.connections} -m {args.messages} -l {size} | "
          f"{args.messages / source_rate:.2f} | {source_rate:,.0f} | 1.00 | | "
          + ", ".join(f"{value:,.0f}" for value in source_rates) + " |")
    three = middle(senders["pg3"])
    print(f"\n3 nodes: messages sent by each node (median run): "
          f"{', '.join(f'{count:,}' for count in three.per_node)}. First message accepted "
          f"after S: SQLite {middle(senders['sqlite']).first_ms:.0f} ms, PostgreSQL 1 node "
          f"{middle(senders['pg1']).first_ms:.0f} ms, 3 nodes {three.first_ms:.0f} ms.")
    one = middle(senders["pg1"])
    print(f"CPU from READY to the last message (user+sys, median runs): SQLite: kutsu "
          f"{middle(senders['sqlite']).cpu_seconds:.2f} s; PostgreSQL, 1 node: kutsu "
          f"{one.cpu_seconds:.2f} s, PostgreSQL {one.pg_cpu_seconds:.2f} s; 3 nodes: kutsu "
          f"{three.cpu_seconds:.2f} s, PostgreSQL {three.pg_cpu_seconds:.2f} s.")
    count = f"{args.messages:,}"
    bench_row(f"pg burst: {count} reminders due at one second, 1 node on PostgreSQL",
              f"{rate['pg1']:,.0f} msg/s (SQLite {rate['sqlite']:,.0f})",
              f"smtp-source {source_rate:,.0f} msg/s", f"{rate['pg1'] / source_rate:.2f}",
              ">= 0.6", verdict(met["pg1"]))
    bench_row(f"pg burst: {count} reminders due at one second, 3 nodes on one PostgreSQL",
              f"{rate['pg3']:,.0f} msg/s", f"1 node {rate['pg1']:,.0f} msg/s",
              f"{rate['pg3'] / rate['pg1']:.2f}", ">= 1.0 (no slower than 1 node)",
              verdict(met["pg3"]))


def lateness_table(args, children, work, cluster):
    load_before = machine_load()
    progress("  lateness on SQLite ...")
    sqlite = lateness_run(children, args.kutsu, work / "lateness-sqlite", args.sessions,
                          args.participants, args.lead, args.spread)
    progress("  lateness on PostgreSQL ...")
    pg = pg_lateness_run(children, args.kutsu, cluster.fresh_database(), work / "lateness-pg",
                         args.sessions, args.participants, args.pg_lead, args.spread)

    def figures(run):
        values = run.lateness_ms
        return percentile(values, 0.50), percentile(values, 0.99), max(values)

    print(f"\n### Lateness on PostgreSQL: {len(pg.lateness_ms):,} e-mail reminders due over "
          f"{pg.spread_s} s ({args.sessions} due seconds × {args.participants} each), one node: "
          f"accepted by smtp-sink minus due time\n")
    print(f"One run each, SQLite first. Machine: {load_before} before, 1-min load "
          f"{sqlite.load:.2f} after SQLite, {pg.load:.2f} after PostgreSQL.\n")
    print("| lateness | SQLite ms | PostgreSQL ms | target (PostgreSQL) |")
    print("|---|---:|---:|---|")
    s50, s99, smax = figures(sqlite)
    p50, p99, pmax = figures(pg)
    print(f"| p50 | {s50:.1f} | {p50:.1f} | |")
    print(f"| p99 | {s99:.1f} | {p99:.1f} | < 20 ms {verdict(p99 < 20)} |")
    print(f"| max | {smax:.1f} | {pmax:.1f} | < 100 ms {verdict(pmax < 100)} |")
    bench_row(f"pg lateness: {len(pg.lateness_ms):,} reminders over {pg.spread_s + 1} s, "
              "1 node on PostgreSQL, p99 / max",
              f"{p99:.1f} / {pmax:.1f} ms (SQLite {s99:.1f} / {smax:.1f})", "—", "—",
              "< 20 / < 100 ms", verdict(p99 < 20 and pmax < 100))


def startup_table(args, children, work, cluster):
    load_before = machine_load()
    progress("  start-up on SQLite ...")
    _, sqlite_again, count = startup_runs(children, args.kutsu, work / "startup-sqlite",
                                          args.startup_sessions, args.startup_participants,
                                          args.rounds)
    progress("  start-up on PostgreSQL ...")
    fill, again, _ = pg_startup_runs(children, args.kutsu, cluster.fresh_database(),
                                     work / "startup-pg", args.startup_sessions,
                                     args.startup_participants, args.rounds)

    def middle(runs):
        return sorted(runs, key=lambda run: run.ready_s)[(len(runs) - 1) // 2]

    pg, sqlite = middle(again), middle(sqlite_again)
    print(f"\n### Restart on PostgreSQL with {count:,} pending notifications "
          f"({args.startup_sessions} sessions × {args.startup_participants:,} participants × 4 "
          f"reminders), one node\n")
    print(f"Machine: {load_before} before; 1-min load at each PostgreSQL READY: fill "
          f"{fill.load:.2f}, restarts {', '.join(f'{run.load:.2f}' for run in again)}. Process "
          "start → READY=1 on its NOTIFY_SOCKET; peak RSS = VmHWM at READY (kutsu only).\n")
    print("| start | to READY s | CPU s | peak RSS MB | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| PostgreSQL, first start: plans and inserts {count:,} | {fill.ready_s:.2f} | "
          f"{fill.cpu_s:.2f} | {fill.peak_mb:.0f} | |")
    print(f"| SQLite, restart (median of {len(sqlite_again)}) | {sqlite.ready_s:.2f} | "
          f"{sqlite.cpu_s:.2f} | {sqlite.peak_mb:.0f} | |")
    print(f"| PostgreSQL, restart (median of {len(again)}: "
          + ", ".join(f"{run.ready_s:.2f}" for run in again)
          + f" s) | {pg.ready_s:.2f} | {pg.cpu_s:.2f} | {pg.peak_mb:.0f} | "
          f"< 2 s {verdict(pg.ready_s < 2)} |")
    bench_row(f"pg restart with {count:,} pending on PostgreSQL, to READY",
              f"{pg.ready_s:.2f} s (SQLite {sqlite.ready_s:.2f} s)", "—", "—", "< 2 s",
              verdict(pg.ready_s < 2))


TABLES = {"burst": burst_table, "lateness": lateness_table, "startup": startup_table}
# startup only when asked (--only startup): on PostgreSQL the first start that
# fills a million rows took ~15 s per 40,000 here, several minutes in all.
DEFAULT_TABLES = ["burst", "lateness"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kutsu", required=True, help="the kutsu binary (a Release build)")
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin",
                        help="PostgreSQL's initdb, postgres, createdb, pg_isready")
    parser.add_argument("--only", choices=sorted(TABLES), action="append",
                        help="run only this table (repeatable)")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=8,
                        help="SMTP connections of each node (and of smtp-source)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=50, help="lateness: due seconds")
    parser.add_argument("--participants", type=int, default=40,
                        help="lateness: reminders due at each of those seconds")
    parser.add_argument("--lead", type=int, default=6,
                        help="seconds from an SQLite daemon's start to the first due time")
    parser.add_argument("--pg-lead", type=int, default=10,
                        help="seconds from the PostgreSQL daemons' start to the first due time")
    parser.add_argument("--spread", type=int, default=60,
                        help="lateness: seconds the due times are spread over")
    parser.add_argument("--startup-sessions", type=int, default=200)
    parser.add_argument("--startup-participants", type=int, default=1250)
    parser.add_argument("--nice", type=int,
                        help="run kutsu serve, smtp-source and smtp-sink at this niceness")
    args = parser.parse_args()
    args.kutsu = str(pathlib.Path(args.kutsu).resolve())

    children = Children(args.nice)
    priority = f", measured programs at nice {args.nice}" if args.nice is not None else ""
    print(f"## kutsu serve on PostgreSQL ({time.strftime('%Y-%m-%d %H:%M %Z')}, "
          f"{machine_load()}{priority})")
    with tempfile.TemporaryDirectory(prefix="kutsu-bench-pg-") as work:
        work = pathlib.Path(work)
        work.chmod(0o711)  # smtp-sink (nobody) and postgres enter it
        try:
            cluster = PgCluster(children, args.pg_bin, work / "pg")
            for name in args.only or DEFAULT_TABLES:
                progress(f"== {name}")
                TABLES[name](args, children, work, cluster)
                sys.stdout.flush()
            cluster.stop()
        except BenchError as error:
            print(f"pg_bench: {error}", file=sys.stderr)
            return 1
        finally:
            children.stop_all()  # before their folder goes
    return 0


if __name__ == "__main__":
    sys.exit(main())
