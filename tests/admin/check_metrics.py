#!/usr/bin/python3
"""Checks a /metrics body with Prometheus' own text-format parser.

Usage: check_metrics.py METRICS_FILE EXPECTED_JSON_FILE
Parses METRICS_FILE with prometheus_client.parser.text_string_to_metric_families
(Debian's python3-prometheus-client) and compares families, types, label
sets and values with EXPECTED_JSON_FILE (written by metrics_test.cpp from
the store). Prints every problem and exits 1, or prints "ok" and exits 0.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

FAMILIES = {
    "kutsu_build_info": "gauge",
    "kutsu_notifications": "gauge",
    "kutsu_pending_notifications": "gauge",
    "kutsu_next_due_timestamp_seconds": "gauge",
    "kutsu_delivery_attempts": "counter",
    "kutsu_notification_lateness_seconds": "histogram",
    "kutsu_reload_errors": "counter",
    "kutsu_series_loaded": "gauge",
    "kutsu_started_timestamp_seconds": "gauge",
    "kutsu_store_healthy": "gauge",
    "kutsu_store_errors": "counter",
}


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    expected = json.load(open(sys.argv[2], encoding="utf-8"))
    problems = []

    def check(condition, message):
        if not condition:
            problems.append(message)

    families = {}
    for family in text_string_to_metric_families(text):
        check(family.name not in families, f"family {family.name} appears twice")
        families[family.name] = family

    wanted = dict(FAMILIES)
    if expected["next_due"] is None:
        del wanted["kutsu_next_due_timestamp_seconds"]
    check(set(families) == set(wanted),
          f"families {sorted(families)} instead of {sorted(wanted)}")
    for name, family in families.items():
        check(family.type == wanted.get(name), f"{name} is {family.type}, not {wanted.get(name)}")
        check(family.documentation != "", f"{name} has no HELP")

    def samples(name):
        return families[name].samples if name in families else []

    def single(name, sample_name=None):
        found = [s for s in samples(name) if s.name == (sample_name or name)]
        check(len(found) == 1, f"{name}: {len(found)} samples instead of 1")
        return found[0] if found else None

    info = single("kutsu_build_info")
    if info:
        check(info.labels == {"version": expected["version"]}, f"build_info labels {info.labels}")
        check(info.value == 1, f"build_info value {info.value}")

    by_state_kind = {}
    for s in samples("kutsu_notifications"):
        check(set(s.labels) == {"state", "kind"}, f"kutsu_notifications labels {s.labels}")
        key = f"{s.labels.get('state')}|{s.labels.get('kind')}"
        check(key not in by_state_kind, f"kutsu_notifications {key} twice")
        by_state_kind[key] = s.value
    check(by_state_kind == expected["notifications"],
          f"kutsu_notifications {by_state_kind} instead of {expected['notifications']}")

    pending = single("kutsu_pending_notifications")
    if pending:
        check(pending.value == expected["pending"], f"pending {pending.value}")
    if expected["next_due"] is not None:
        next_due = single("kutsu_next_due_timestamp_seconds")
        if next_due:
            check(next_due.value == expected["next_due"], f"next_due {next_due.value}")

    attempts = {}
    for s in samples("kutsu_delivery_attempts"):
        check(s.name == "kutsu_delivery_attempts_total", f"attempts sample named {s.name}")
        check(set(s.labels) == {"channel", "result"}, f"attempts labels {s.labels}")
        attempts[f"{s.labels.get('channel')}|{s.labels.get('result')}"] = s.value
    check(attempts == expected["attempts"], f"attempts {attempts} instead of {expected['attempts']}")

    name = "kutsu_notification_lateness_seconds"
    buckets = [s for s in samples(name) if s.name == name + "_bucket"]
    bounds = [float(s.labels["le"]) for s in buckets]
    check(bounds == sorted(bounds), f"bucket bounds out of order: {bounds}")
    check(bounds and math.isinf(bounds[-1]), "the last bucket is not +Inf")
    values = [s.value for s in buckets]
    check(all(a <= b for a, b in zip(values, values[1:])), f"buckets not cumulative: {values}")
    got_buckets = {s.labels["le"]: s.value for s in buckets}
    check(got_buckets == expected["lateness"]["buckets"],
          f"buckets {got_buckets} instead of {expected['lateness']['buckets']}")
    count = single(name, name + "_count")
    total = single(name, name + "_sum")
    if count and values:
        check(count.value == values[-1], f"_count {count.value} is not the +Inf bucket {values[-1]}")
        check(count.value == expected["lateness"]["count"], f"_count {count.value}")
    if total:
        check(abs(total.value - expected["lateness"]["sum"]) < 1e-9, f"_sum {total.value}")

    for family, key in [("kutsu_reload_errors", "reload_errors"),
                        ("kutsu_series_loaded", "series_loaded"),
                        ("kutsu_started_timestamp_seconds", "started"),
                        ("kutsu_store_healthy", "store_healthy"),
                        ("kutsu_store_errors", "store_errors")]:
        sample_name = family + "_total" if FAMILIES[family] == "counter" else family
        s = single(family, sample_name)
        if s:
            check(s.value == expected[key], f"{family} {s.value} instead of {expected[key]}")

    if problems:
        print("\n".join(problems))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
