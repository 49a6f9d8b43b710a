"""The Python benchmarks' side of bench/lib.sh: a row for `bench/run all`'s
one table, appended to the file KUTSU_BENCH_ROWS names (nothing when unset)."""

import os


def bench_row(scenario, kutsu, peer="—", ratio="—", target="—", met="—"):
    path = os.environ.get("KUTSU_BENCH_ROWS")
    if not path:
        return
    fields = [str(field).replace("\t", " ").replace("\n", " ")
              for field in (scenario, kutsu, peer, ratio, target, met)]
    with open(path, "a", encoding="utf-8") as rows:
        rows.write("\t".join(fields) + "\n")
