"""The runs on PostgreSQL: bench/daemon's burst and lateness (burst.py,
lateness.py) with the outbox in one PostgreSQL database shared by one or
several `kutsu serve` nodes. Each node has its own folder (state_dir, log,
admin port, node name) and its own series.d with byte-identical files, as
nodes on different machines deployed together would.
"""

import math
import sys
import time

from bench_env import BenchError, ServeProcess, free_port, load_1min
from burst import BurstRun
from lateness import LatenessRun, check_identities, lateness_by_second, spread_due_seconds
from series_files import planned_dues, write_config, write_series
from smtp_sink import SmtpSink
from startup import startup_runs


def write_pg_config(folder, database, node, smtp_port, max_connections):
    """bench/daemon's kutsu.toml with a [store] on DATABASE for NODE."""
    config = write_config(folder, smtp_port, free_port(), max_connections)
    with open(config, "a", encoding="utf-8") as text:
        text.write(f'\n[store]\nurl = "{database}"\nnode = "{node}"\n')
    return config


def start_nodes(children, kutsu, database, folder, nodes, smtp_port, connections, series_id,
                dues, participants, first_due, lead, what):
    """NODES daemons on DATABASE, each on the same series; all READY before first_due."""
    serves = []
    for number in range(nodes):
        node_folder = folder / f"node{number + 1}"
        write_series(node_folder / "series.d", series_id, dues, participants)
        config = write_pg_config(node_folder, database, f"bench-node{number + 1}", smtp_port,
                                 connections)
        serves.append(ServeProcess(children, kutsu, config, node_folder / "serve.log"))
    for serve in serves:
        serve.wait_ready_before(first_due, lead, what)
    return serves


def sent_by_each(serves, messages):
    """The `sent` lines of each node's log; fails unless they add up to MESSAGES
    and no node logged a retry or a failure."""
    counts, trouble = [], []
    for serve in serves:
        lines = serve.log_lines()
        counts.append(sum(1 for line in lines if " info sent " in line))
        trouble += [line for line in lines if " retrying " in line or " failed " in line]
    if sum(counts) != messages or trouble:
        raise BenchError(f"the nodes logged {counts} sent (expected {messages} in all) and "
                         f"{len(trouble)} retries/failures:\n" + "\n".join(trouble[:5]))
    return counts


def pg_burst(children, kutsu, sink, cluster, folder, nodes, messages, connections, lead):
    """bench/daemon's burst with NODES daemons on one database; a BurstRun
    (its cpu_seconds summed over the nodes) with per_node, each node's sends,
    and pg_cpu_seconds, PostgreSQL's CPU over the same span."""
    folder.mkdir(parents=True)
    database = cluster.fresh_database()
    before = sink.count()
    due = math.ceil(time.time()) + lead
    serves = start_nodes(children, kutsu, database, folder, nodes, sink.port, connections,
                         "burst", [due], messages, due, lead, "the burst")
    cpu_at_ready = sum(serve.cpu_seconds() for serve in serves)
    pg_cpu_at_ready = cluster.cpu_seconds()
    if not sink.wait_for(before + messages, timeout=lead + 600):
        raise BenchError(f"smtp-sink got {sink.count() - before} of {messages} messages:\n"
                         + "\n".join(serve.log_tail() for serve in serves))
    cpu = sum(serve.cpu_seconds() for serve in serves) - cpu_at_ready
    pg_cpu = cluster.cpu_seconds() - pg_cpu_at_ready
    last = sink.accepted_at(before + messages)
    first = sink.accepted_at(before + 1)
    ready = max(serve.ready_after for serve in serves)
    for serve in serves:
        serve.terminate()
    per_node = sent_by_each(serves, messages)
    if sink.count() != before + messages:
        raise BenchError(f"smtp-sink got {sink.count() - before} messages, expected {messages}")
    run = BurstRun(last - due, (first - due) * 1000, cpu, ready, load_1min())
    run.per_node = per_node
    run.pg_cpu_seconds = pg_cpu
    return run


def pg_lateness_run(children, kutsu, database, folder, sessions, participants, lead,
                    over_seconds=60, nodes=1):
    """bench/daemon's lateness run (lateness.py) with the outbox on DATABASE."""
    folder.mkdir(parents=True)
    sink = SmtpSink(children, folder / "sink.err", batch_pause=0, dump_dir=folder / "dump")
    first = math.ceil(time.time()) + lead
    due_seconds = spread_due_seconds(first, sessions, over_seconds)
    serves = start_nodes(children, kutsu, database, folder, nodes, sink.port, 8, "lateness",
                         due_seconds, participants, first, lead, "the first due time")
    dues = planned_dues(kutsu, folder / "node1" / "series.d" / "lateness.toml")
    expected = sessions * participants
    if len(dues) != expected:
        raise BenchError(f"kutsu plan gives {len(dues)} notifications, expected {expected}")
    print(f"  lateness: {expected} reminders due over {over_seconds} s ...", file=sys.stderr)
    arrived = sink.wait_for(expected, timeout=lead + over_seconds + 120)
    for serve in serves:
        serve.terminate()
    children.stop(sink.process)
    if not arrived or sink.count() != expected:
        raise BenchError(f"smtp-sink got {sink.count()} of {expected} messages:\n"
                         + "\n".join(serve.log_tail() for serve in serves))
    sent_by_each(serves, expected)
    check_identities(sink.dumped_messages(), dues)
    by_second = lateness_by_second(sink.arrival_times(), dues)
    return LatenessRun(by_second, due_seconds[-1] - due_seconds[0],
                       max(serve.ready_after for serve in serves), load_1min())


def pg_startup_runs(children, kutsu, database, folder, sessions, participants, restarts):
    """bench/daemon's start-up (startup.py) with the outbox on DATABASE: (the
    first start filling it, [each restart with it full])."""
    return startup_runs(children, kutsu, folder, sessions, participants, restarts,
                        lambda folder: write_pg_config(folder, database, "bench-node1",
                                                       free_port(), 8))
