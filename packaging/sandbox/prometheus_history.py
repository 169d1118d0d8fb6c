#!/usr/bin/env python3
"""Days of history for a sandbox's Prometheus (sandbox.sh prometheus-history, for bench_backfill).

A fresh sandbox's Prometheus holds minutes of scrapes, so a 24 h or 7 d chart window fetches a
handful of points and says nothing about a full one. This writes an OpenMetrics file with DAYS of
samples every STEP seconds, ending where the Prometheus's own head begins, for the series the
charts and the capacity view ask for (Vigil's models/promchartqueries.cpp), with the label sets
the sandbox's scrapes really have (read from the Prometheus at URL):

  * counters (pg_stat_database_xact_commit, ..._tup_updated, Patroni's WAL positions) run
    backwards from their current value at their current rate (floor 0; the leader's
    patroni_xlog_location more slowly when needed, so that it stays above 0);
  * patroni_xlog_replayed_timestamp stays at its current distance behind the sample's time;
  * pg_database_size_bytes grows by GROWTH of its current value a day (floor half of it), and
    node_filesystem_avail_bytes falls by DRAIN of node_filesystem_size_bytes a day;
  * the other gauges keep their current value, connection counts with a day's swing of ±30 %.

`promtool tsdb create-blocks-from openmetrics FILE TSDB` turns it into blocks (the caller does,
with Prometheus stopped). Synthetic values over real label sets: the benchmark measures how many
points Vigil fetches and how long it takes, not what the values are.

Usage: prometheus_history.py URL DAYS STEP_SECONDS OUT_FILE   (sandbox.sh prometheus-history DAYS)
"""
import json
import math
import sys
import time
import urllib.parse
import urllib.request

COUNTERS = [
    "pg_stat_database_xact_commit",
    "pg_stat_database_xact_rollback",
    "pg_stat_database_tup_inserted",
    "pg_stat_database_tup_updated",
    "patroni_xlog_received_location",
    "patroni_xlog_replayed_location",
    "patroni_xlog_location",
]
GAUGES = [
    "pg_up",
    "pg_stat_activity_count",
    "pg_stat_replication_pg_wal_lsn_diff",
    "patroni_replica",
    "patroni_xlog_replayed_timestamp",
    "pg_database_size_bytes",
    "pg_settings_max_connections",
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
]
# The capacity view's volume and size trends (models/capacitymath.h): the databases grew by
# GROWTH of their current size per day, and the file systems lost DRAIN of their size per day, so
# that a 30-day history shows a falling free space with a projection to fill.
GROWTH = 0.01
DRAIN = 0.002


def get(url, path, **params):
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{url}{path}?{query}", timeout=30) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        sys.exit(f"prometheus_history: {path} failed: {body}")
    return body["data"]


def key(labels):
    return tuple(sorted((k, v) for k, v in labels.items() if k != "__name__"))


def labels_text(labels):
    def esc(v):
        return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    return ",".join(f'{k}="{esc(v)}"' for k, v in key(labels))


# Series that every sandbox scrape has, and that a rate needs two scrapes of: until they answer,
# the head's label sets and rates are not there to copy (right after 'up --metrics').
NEEDED = ["pg_up", "pg_database_size_bytes", "node_filesystem_size_bytes",
          "rate(pg_stat_database_xact_commit[2m])"]
WAIT_SECONDS = 90


def wait_for_scrapes(url):
    """The head's stats once every NEEDED query answers, or exit naming what never came."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        head = get(url, "/api/v1/status/tsdb")["headStats"]
        missing = [q for q in NEEDED if not get(url, "/api/v1/query", query=q)["result"]]
        if not missing and int(head["numSeries"]) > 0:
            return head
        if time.monotonic() > deadline:
            sys.exit(f"prometheus_history: after {WAIT_SECONDS} s the Prometheus at {url} still "
                     f"has no {', '.join(missing) or 'series'}: are the exporters up "
                     f"('sandbox.sh status')?")
        time.sleep(2)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    url, days, step, out_path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    head = wait_for_scrapes(url)
    now = int(get(url, "/api/v1/query", query="time()")["result"][1].split(".")[0])
    # End one step before the head's first sample (blocks must not overlap the head).
    end = (int(head["minTime"]) // 1000 - step) // step * step
    start = (now - int(days * 86400)) // step * step
    if end <= start:
        sys.exit("prometheus_history: the head already spans the whole range")
    sizes = {key(r["metric"]): float(r["value"][1])
             for r in get(url, "/api/v1/query", query="node_filesystem_size_bytes")["result"]}
    series = 0
    samples = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for name in COUNTERS + GAUGES:
            current = get(url, "/api/v1/query", query=name)["result"]
            if not current:
                continue
            rates = {}
            if name in COUNTERS:
                for r in get(url, "/api/v1/query", query=f"rate({name}[2m])")["result"]:
                    rates[key(r["metric"])] = max(0.0, float(r["value"][1]))
            out.write(f"# TYPE {name} gauge\n")
            for s in current:
                labels = s["metric"]
                value_now = float(s["value"][1])
                text = labels_text(labels)
                rate = rates.get(key(labels), 0.0)
                if name == "patroni_xlog_location" and value_now > 0:
                    # The leader's WAL position never was 0 (the capacity view drops zeros as
                    # "not the leader"): slow the run back so that it stays above a tenth.
                    rate = min(rate, 0.9 * value_now / max(1, now - start))
                behind = now - value_now if name == "patroni_xlog_replayed_timestamp" else 0.0
                for t in range(start, end + 1, step):
                    if name in COUNTERS:
                        v = max(0.0, value_now - rate * (now - t))
                    elif name == "patroni_xlog_replayed_timestamp":
                        v = t - max(0.0, behind)
                    elif name == "pg_database_size_bytes":
                        v = max(value_now / 2, value_now * (1 - GROWTH * (now - t) / 86400))
                    elif name == "node_filesystem_avail_bytes":
                        size = sizes.get(key(labels), value_now)
                        v = min(size, value_now + DRAIN * size * (now - t) / 86400)
                    elif name == "pg_stat_activity_count":
                        v = round(value_now * (1 + 0.3 * math.sin(2 * math.pi * t / 86400)))
                    else:
                        v = value_now
                    out.write(f"{name}{{{text}}} {v:.6g} {t}\n")
                    samples += 1
                series += 1
        out.write("# EOF\n")
    if series == 0:
        sys.exit(f"prometheus_history: the Prometheus at {url} answered none of the series")
    print(f"prometheus_history: {series} series, {samples} samples, "
          f"{(end - start) / 86400:.2f} days at {step} s into {out_path}")


if __name__ == "__main__":
    main()
