-- Vigil's per-member probe: ONE round trip per member and cycle (every second by default).
--
-- Contract: one row, one column "probe" holding a json object (parsed by memberprobequery.cpp).
-- $1 (boolean): also compute database sizes (pg_database_size stats every file of every
-- database, so it runs only every sizeIntervalMs, not every cycle).
-- $2 (boolean): also compute the connection breakdown by state, application and database
-- (as often as its cost allows, see "server_ms"). Without it, "connections" carries only
-- "attached" (see below); total, by_state, by_application and by_database are null, or absent
-- from the cheap statement ("breakdown": false in both).
-- "server_ms", the last key, is the time the server has spent on this statement so far
-- (clock_timestamp() - statement_timestamp(), everything above included): Vigil compares the
-- cycles with and without the breakdown to pace the breakdown (memberprobequery.h).
--
-- Why it is written this way:
--  * Needs pg_monitor (pg_read_all_stats + pg_read_all_settings), no superuser.
--  * Cheap at 1,000+ backends. Measured on PostgreSQL 15 with 1,000 client backends:
--    pg_stat_get_activity(NULL) alone costs 2-6 ms (it builds all 29 columns of every backend,
--    and looks up each backend's PGPROC with BackendPidGetProc, a linear scan of the proc
--    array: quadratic in the number of backends). So it runs only on breakdown cycles, once,
--    grouped at once (no per-backend row is kept or shipped).
--  * Every cycle reports "attached": the backends connected to a database, summed from
--    pg_stat_get_db_numbackends (one internal loop per database over the backend-status
--    snapshot: ~0.1 ms at 1,000 backends). Calling a per-backend accessor once per backend
--    instead (pg_stat_get_backend_idset() with pg_stat_get_backend_client_port(), the earlier
--    way) costs ~1.5 us per backend on PG 15, ~1.5 ms per cycle at 1,000 backends.
--    "attached" also counts the autovacuum and parallel workers, logical walsenders and
--    background workers connected to a database, which take no connection slot. On breakdown
--    cycles "total" is the exact number of client backends, from the SAME backend-status
--    snapshot (it is taken once per transaction), so attached - total is exactly that
--    surplus; Vigil carries it forward and subtracts it from "attached" in between
--    (memberprobequery.cpp). The total is then exact up to such workers starting or stopping
--    since the last breakdown.
--  * The walsenders' application names come from pg_stat_get_activity(pid), one call per
--    walsender: with a pid it skips every other backend before building any column.
--  * The views pg_stat_activity and pg_stat_replication are NOT used: each would call
--    pg_stat_get_activity(NULL) (pg_stat_replication joins it to pg_stat_get_wal_senders),
--    and pg_stat_database reads every database's cumulative statistics besides numbackends.
--    Only client backends make the total (walsenders, autovacuum, background workers are not
--    connections an application can exhaust).
--  * Two statements, each in its own file and prepared through libpq once per connection
--    (memberprobequery.h): this full one (monitor_member.sql), and the cheap one
--    (monitor_member_cheap.sql), which is this text without the lines between
--    "[full cycles only: begin]" and "[... end]" (the breakdown, the exact total, the sizes),
--    run on the cycles that need none of them: ~80 % of the cycles at 1,000 backends, where the
--    executor start-up of those unused subplans and of the "grp" CTE cost ~0.4 ms a cycle even
--    when no CASE branch reads them. Within the full statement, "grp" is only read inside CASE
--    WHEN $2 branches, and a CTE is evaluated only when something reads it, so a cycle with
--    sizes but without the breakdown never calls pg_stat_get_activity(NULL). The two files
--    must stay in step: a unit test checks that the cheap one is exactly the full one without
--    the marked lines.
--  * Works on the primary and on replicas: pg_current_wal_lsn() raises an error during
--    recovery, so the WAL position is taken from pg_last_wal_receive_lsn() there (a cascading
--    replica also sends WAL).
--  * Lag in bytes is measured against that position; lag in time is PostgreSQL's own
--    write/flush/replay_lag (NULL once a standby has caught up and WAL is idle).
--  * "pending_restart" names the parameters changed but in effect only after a restart
--    (pg_settings WHERE pending_restart, with the value still running): Patroni 3.0.2 flags
--    the pending restart but never says why. pg_settings builds a row for every parameter, so
--    it runs with the sizes ($1), not every cycle; absent or null: not asked this cycle.
--  * "locks" (breakdown cycles) names the session idle in transaction the longest and the root
--    blocker (waits for no lock, holds one others wait for, directly or down a chain) that has
--    held a session up the longest, with how many wait behind it. "Held up" is counted from the
--    waiter's query_start: the statement waiting began then (pg_locks.waitstart would be exact,
--    but pg_locks copies the whole lock table every cycle).
--  * The comment "vigil:member_probe" below stays inside the statement, so the query can be
--    found in pg_stat_statements.
WITH
-- [full cycles only: begin]
act AS MATERIALIZED (
    SELECT a.pid, a.usesysid, a.application_name, a.state, a.datid, a.state_change,
           a.query_start, a.wait_event_type
      FROM pg_stat_get_activity(NULL) AS a
     WHERE a.backend_type = 'client backend'
),
grp AS MATERIALIZED (
    SELECT coalesce(a.state, 'unknown') AS state, coalesce(a.application_name, '') AS app,
           a.datid, count(*) AS n
      FROM act AS a
     GROUP BY 1, 2, 3
),
-- [full cycles only: end]
pos AS (
    SELECT pg_is_in_recovery() AS in_recovery,
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                ELSE pg_current_wal_lsn() END AS lsn
)
SELECT /* vigil:member_probe */ json_build_object(
    'in_recovery', pos.in_recovery,
    'server_version', current_setting('server_version_num')::int,
    'lsn', pos.lsn::text,
    'replication', (
        SELECT coalesce(json_agg(json_build_object(
                   'pid', w.pid,
                   'application_name', a.application_name,
                   'client_addr', host(a.client_addr),
                   'state', w.state,
                   'sync_state', w.sync_state,
                   'sent_lsn', w.sent_lsn::text,
                   'write_lsn', w.write_lsn::text,
                   'flush_lsn', w.flush_lsn::text,
                   'replay_lsn', w.replay_lsn::text,
                   'sent_lag_bytes', pg_wal_lsn_diff(pos.lsn, w.sent_lsn)::bigint,
                   'write_lag_bytes', pg_wal_lsn_diff(pos.lsn, w.write_lsn)::bigint,
                   'flush_lag_bytes', pg_wal_lsn_diff(pos.lsn, w.flush_lsn)::bigint,
                   'replay_lag_bytes', pg_wal_lsn_diff(pos.lsn, w.replay_lsn)::bigint,
                   'write_lag_s', extract(epoch FROM w.write_lag),
                   'flush_lag_s', extract(epoch FROM w.flush_lag),
                   'replay_lag_s', extract(epoch FROM w.replay_lag)
               ) ORDER BY a.application_name), '[]'::json)
          FROM pg_stat_get_wal_senders() AS w
         CROSS JOIN LATERAL pg_stat_get_activity(w.pid) AS a),
    'wal_receiver', (
        SELECT json_build_object(
                   'status', r.status,
                   'sender_host', r.sender_host,
                   'sender_port', r.sender_port,
                   'flushed_lsn', r.flushed_lsn::text,
                   'received_tli', r.received_tli,
                   'last_msg_receipt_time', r.last_msg_receipt_time)
          FROM pg_stat_get_wal_receiver() AS r
         WHERE r.pid IS NOT NULL),
    'connections', json_build_object(
        'max_connections', current_setting('max_connections')::int,
        'breakdown', $2::boolean,
        'attached', (SELECT coalesce(sum(pg_stat_get_db_numbackends(d.oid)), 0)::int
                       FROM pg_database AS d)
        -- [full cycles only: begin]
        , 'total', CASE WHEN $2::boolean THEN (SELECT coalesce(sum(n), 0) FROM grp) END
        , 'by_state', CASE WHEN $2::boolean THEN (
                        SELECT coalesce(json_object_agg(state, n), '{}'::json)
                          FROM (SELECT state, sum(n) AS n FROM grp GROUP BY state) s) END
        -- The 20 busiest application names: enough to spot a pool gone wild, bounded output.
        , 'by_application', CASE WHEN $2::boolean THEN (
                        SELECT coalesce(json_object_agg(app, n), '{}'::json)
                          FROM (SELECT app, sum(n) AS n FROM grp GROUP BY app
                                 ORDER BY 2 DESC, 1 LIMIT 20) s) END
        , 'by_database', CASE WHEN $2::boolean THEN (
                        SELECT coalesce(json_object_agg(coalesce(d.datname, ''), s.n), '{}'::json)
                          FROM (SELECT datid, sum(n) AS n FROM grp GROUP BY datid) s
                          LEFT JOIN pg_database AS d ON d.oid = s.datid) END
        -- [full cycles only: end]
    ),
    'slots', (
        SELECT coalesce(json_agg(json_build_object(
                   'name', s.slot_name,
                   'type', s.slot_type,
                   'active', s.active,
                   'retained_bytes', pg_wal_lsn_diff(pos.lsn, s.restart_lsn)::bigint)
               ORDER BY s.slot_name), '[]'::json)
          FROM pg_get_replication_slots() AS s),
    'archiver', (
        SELECT json_build_object(
                   'archived_count', a.archived_count,
                   'failed_count', a.failed_count,
                   'last_archived_wal', a.last_archived_wal,
                   'last_archived_time', a.last_archived_time,
                   'last_failed_wal', a.last_failed_wal,
                   'last_failed_time', a.last_failed_time,
                   'archive_mode', current_setting('archive_mode'),
                   'archive_command', current_setting('archive_command'))
          FROM pg_stat_get_archiver() AS a),
    'databases', (
        SELECT coalesce(json_agg(json_build_object(
                   'name', d.datname,
                   'xact_commit', pg_stat_get_db_xact_commit(d.oid),
                   'xact_rollback', pg_stat_get_db_xact_rollback(d.oid),
                   'tup_inserted', pg_stat_get_db_tuples_inserted(d.oid),
                   'tup_updated', pg_stat_get_db_tuples_updated(d.oid),
                   'tup_deleted', pg_stat_get_db_tuples_deleted(d.oid))
               ORDER BY d.datname), '[]'::json)
          FROM pg_database AS d
         WHERE d.datallowconn AND NOT d.datistemplate),
    -- [full cycles only: begin]
    -- Lock contention, from the same backend-status snapshot as the breakdown (lockFindings).
    -- pg_blocking_pids() runs only for the sessions waiting on a lock (normally none); the
    -- chains behind each root blocker are followed here, so Vigil reads one row.
    'locks', CASE WHEN $2::boolean THEN json_build_object(
        'idle_in_transaction', (
            SELECT json_build_object(
                       'pid', a.pid, 'user', pg_get_userbyid(a.usesysid),
                       'application', a.application_name, 'state', a.state,
                       'seconds', extract(epoch FROM now() - a.state_change))
              FROM act AS a
             WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)')
             ORDER BY a.state_change LIMIT 1),
        'root_blocker', (
            WITH RECURSIVE
            waits AS (SELECT a.pid, a.query_start FROM act AS a WHERE a.wait_event_type = 'Lock'),
            edge AS (SELECT w.pid AS waiter, b.pid AS blocker
                       FROM waits AS w, unnest(pg_blocking_pids(w.pid)) AS b(pid)),
            reach(waiter, blocker) AS (
                SELECT waiter, blocker FROM edge
                 UNION
                SELECT r.waiter, e.blocker FROM reach AS r JOIN edge AS e ON e.waiter = r.blocker),
            root AS (
                SELECT r.blocker AS pid, count(DISTINCT r.waiter) AS waiting,
                       max(extract(epoch FROM now() - w.query_start)) AS seconds
                  FROM reach AS r JOIN waits AS w ON w.pid = r.waiter
                 WHERE r.blocker NOT IN (SELECT pid FROM waits)
                 GROUP BY r.blocker)
            SELECT json_build_object(
                       'pid', root.pid, 'user', pg_get_userbyid(a.usesysid),
                       'application', a.application_name,
                       'state', coalesce(a.state, a.backend_type),
                       'seconds', root.seconds, 'waiting', root.waiting)
              FROM (SELECT * FROM root
                     ORDER BY seconds DESC NULLS LAST, waiting DESC LIMIT 1) AS root
              LEFT JOIN LATERAL pg_stat_get_activity(root.pid) AS a ON true)
    ) END,
    'sizes', CASE WHEN $1::boolean THEN (
        SELECT coalesce(json_agg(json_build_object(
                   'name', d.datname,
                   'bytes', pg_database_size(d.oid))
               ORDER BY d.datname), '[]'::json)
          FROM pg_database AS d
         WHERE d.datallowconn AND NOT d.datistemplate) END,
    -- The WAL directory's size, for the disk rule with the sizes above (pg_monitor may call it).
    'wal_bytes', CASE WHEN $1::boolean THEN (SELECT coalesce(sum(w.size), 0)::bigint
                                              FROM pg_ls_waldir() AS w) END,
    -- Where the data lives, to find its file system among node_exporter's: pg_settings shows it
    -- to pg_monitor (pg_read_all_settings) and leaves the row out for others (NULL, no error).
    'data_directory', CASE WHEN $1::boolean THEN (SELECT s.setting FROM pg_settings AS s
                                                   WHERE s.name = 'data_directory') END,
    -- pg_stat_statements' totals over all statements, for the mean over the last interval
    -- (Vigil takes the deltas). Through query_to_xml: the function exists only where the
    -- extension is installed, and a static call would fail the whole probe elsewhere.
    -- pg_stat_statements(false) skips reading the query texts. {} when not installed.
    'statements', CASE WHEN $1::boolean THEN (
        SELECT CASE WHEN to_regprocedure('pg_stat_statements(boolean)') IS NULL THEN '{}'::json
               ELSE (SELECT json_build_object(
                                'total_exec_ms', (xpath('/row/ms/text()', x))[1]::text::float8,
                                'calls', (xpath('/row/calls/text()', x))[1]::text::bigint)
                       FROM query_to_xml('SELECT coalesce(sum(total_exec_time), 0) AS ms, '
                                         'coalesce(sum(calls), 0) AS calls '
                                         'FROM pg_stat_statements(false)',
                                         false, true, '') AS x) END) END,
    'pending_restart', CASE WHEN $1::boolean THEN (
        SELECT coalesce(json_agg(json_build_object(
                   'name', s.name,
                   'running', current_setting(s.name))
               ORDER BY s.name), '[]'::json)
          FROM pg_settings AS s
         WHERE s.pending_restart) END,
    -- [full cycles only: end]
    -- Last: json_build_object evaluates its arguments in order, so this sees all of the above.
    'server_ms', round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 3)
)::text AS probe
  FROM pos;
