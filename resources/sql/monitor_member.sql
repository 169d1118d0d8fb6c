-- Vigil's per-member probe: ONE round trip per member and cycle (every second by default).
--
-- Contract: one row, one column "probe" holding a json object (parsed by clustersqlprobe.cpp).
-- $1 (boolean): also compute database sizes (pg_database_size stats every file of every
-- database, so it runs only every sizeIntervalMs, not every cycle).
--
-- Why it is written this way:
--  * Needs pg_monitor (pg_read_all_stats + pg_read_all_settings), no superuser.
--  * Cheap at 1,000+ backends: pg_stat_activity is read once (the backend status snapshot is
--    cached for the transaction) and aggregated here with GROUPING SETS; no row is shipped.
--    Only client backends are counted (walsenders, autovacuum, background workers are not
--    connections an application can exhaust).
--  * Works on the primary and on replicas: pg_current_wal_lsn() raises an error during
--    recovery, so the WAL position is taken from pg_last_wal_receive_lsn() there (a cascading
--    replica also sends WAL).
--  * Lag in bytes is measured against that position; lag in time is PostgreSQL's own
--    write/flush/replay_lag (NULL once a standby has caught up and WAL is idle).
--  * The comment "vigil:member_probe" below stays inside the statement, so the query can be
--    found in pg_stat_statements.
WITH pos AS (
    SELECT pg_is_in_recovery() AS in_recovery,
           CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                ELSE pg_current_wal_lsn() END AS lsn
),
conn AS (
    SELECT state, application_name AS app, datname, count(*) AS n,
           GROUPING(state) AS g_state, GROUPING(application_name) AS g_app,
           GROUPING(datname) AS g_db
      FROM pg_stat_activity
     WHERE backend_type = 'client backend'
     GROUP BY GROUPING SETS ((state), (application_name), (datname), ())
)
SELECT /* vigil:member_probe */ json_build_object(
    'in_recovery', pos.in_recovery,
    'server_version', current_setting('server_version_num')::int,
    'lsn', pos.lsn::text,
    'replication', (
        SELECT coalesce(json_agg(json_build_object(
                   'pid', r.pid,
                   'application_name', r.application_name,
                   'client_addr', host(r.client_addr),
                   'state', r.state,
                   'sync_state', r.sync_state,
                   'sent_lsn', r.sent_lsn::text,
                   'write_lsn', r.write_lsn::text,
                   'flush_lsn', r.flush_lsn::text,
                   'replay_lsn', r.replay_lsn::text,
                   'sent_lag_bytes', pg_wal_lsn_diff(pos.lsn, r.sent_lsn)::bigint,
                   'write_lag_bytes', pg_wal_lsn_diff(pos.lsn, r.write_lsn)::bigint,
                   'flush_lag_bytes', pg_wal_lsn_diff(pos.lsn, r.flush_lsn)::bigint,
                   'replay_lag_bytes', pg_wal_lsn_diff(pos.lsn, r.replay_lsn)::bigint,
                   'write_lag_s', extract(epoch FROM r.write_lag),
                   'flush_lag_s', extract(epoch FROM r.flush_lag),
                   'replay_lag_s', extract(epoch FROM r.replay_lag)
               ) ORDER BY r.application_name), '[]'::json)
          FROM pg_stat_replication r),
    'wal_receiver', (
        SELECT json_build_object(
                   'status', w.status,
                   'sender_host', w.sender_host,
                   'sender_port', w.sender_port,
                   'flushed_lsn', w.flushed_lsn::text,
                   'received_tli', w.received_tli,
                   'last_msg_receipt_time', w.last_msg_receipt_time)
          FROM pg_stat_wal_receiver w
         LIMIT 1),
    'connections', json_build_object(
        'max_connections', current_setting('max_connections')::int,
        'total', coalesce((SELECT n FROM conn WHERE g_state = 1 AND g_app = 1 AND g_db = 1), 0),
        'by_state', (SELECT coalesce(json_object_agg(coalesce(state, 'unknown'), n), '{}'::json)
                       FROM conn WHERE g_state = 0),
        -- The 20 busiest application names: enough to spot a pool gone wild, bounded output.
        'by_application', (SELECT coalesce(json_object_agg(app, n), '{}'::json)
                             FROM (SELECT app, n FROM conn WHERE g_app = 0
                                    ORDER BY n DESC, app LIMIT 20) a),
        'by_database', (SELECT coalesce(json_object_agg(coalesce(datname, ''), n), '{}'::json)
                          FROM conn WHERE g_db = 0)),
    'slots', (
        SELECT coalesce(json_agg(json_build_object(
                   'name', s.slot_name,
                   'type', s.slot_type,
                   'active', s.active,
                   'retained_bytes', pg_wal_lsn_diff(pos.lsn, s.restart_lsn)::bigint)
               ORDER BY s.slot_name), '[]'::json)
          FROM pg_replication_slots s),
    'archiver', (
        SELECT json_build_object(
                   'archived_count', a.archived_count,
                   'failed_count', a.failed_count,
                   'last_archived_wal', a.last_archived_wal,
                   'last_archived_time', a.last_archived_time,
                   'last_failed_wal', a.last_failed_wal,
                   'last_failed_time', a.last_failed_time)
          FROM pg_stat_archiver a),
    'databases', (
        SELECT coalesce(json_agg(json_build_object(
                   'name', d.datname,
                   'xact_commit', d.xact_commit,
                   'xact_rollback', d.xact_rollback,
                   'tup_inserted', d.tup_inserted,
                   'tup_updated', d.tup_updated,
                   'tup_deleted', d.tup_deleted)
               ORDER BY d.datname), '[]'::json)
          FROM pg_stat_database d
         WHERE d.datname IS NOT NULL AND d.datname NOT IN ('template0', 'template1')),
    'sizes', CASE WHEN $1::boolean THEN (
        SELECT coalesce(json_agg(json_build_object(
                   'name', d.datname,
                   'bytes', pg_database_size(d.oid))
               ORDER BY d.datname), '[]'::json)
          FROM pg_database d
         WHERE d.datallowconn AND NOT d.datistemplate) END
)::text AS probe
  FROM pos;
