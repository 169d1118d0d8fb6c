#!/usr/bin/python3
"""Debian 12's prometheus-pgbouncer-exporter 1.7 with Debian 12's PgBouncer 1.18.

The exporter reads columns of SHOW STATS that PgBouncer 1.8 renamed (total_requests became
total_xact_count and total_query_count) and dies with a KeyError at start. This wrapper runs the
packaged exporter unchanged, except that each SHOW-by-columns collector exports only the columns
the running PgBouncer has (the others are left out, not invented). Started by metrics.sh with
the packaged exporter's own options.
"""
import sys

from prometheus_pgbouncer_exporter import cli, collectors
from prometheus_pgbouncer_exporter.utils import get_data_by_named_column

_collect = collectors.NamedColumnCollector.collect


def _collect_present_columns(self):
    rows = get_data_by_named_column(self.connection, self.query_parameter)
    if rows:
        self.metrics = {k: v for k, v in type(self).metrics.items() if k in rows[0]}
    yield from _collect(self)


collectors.NamedColumnCollector.collect = _collect_present_columns

if __name__ == "__main__":
    sys.exit(cli.main())
