-- Sessions of this server (pg_stat_activity), one row per backend, durations computed by the
-- server (seconds, against now()) so the client's clock does not matter.
-- (pid, backend_start) identifies a session: a PID alone can be reused by a new backend.
-- blocked_by is computed only for sessions waiting on a heavyweight lock (pg_blocking_pids is
-- not free: it takes the lock manager's partition locks).
SELECT a.pid,
       a.backend_start::text AS backend_start,
       a.usename, a.datname, a.application_name,
       host(a.client_addr) AS client_addr, a.client_hostname, a.client_port,
       a.state, a.wait_event_type, a.wait_event, a.backend_type,
       a.backend_start::timestamptz(0)::text AS backend_start_display,
       a.xact_start::timestamptz(0)::text AS xact_start,
       a.query_start::timestamptz(0)::text AS query_start,
       extract(epoch FROM now() - a.backend_start) AS backend_age_s,
       extract(epoch FROM now() - a.xact_start) AS xact_age_s,
       extract(epoch FROM now() - a.query_start) AS query_age_s,
       extract(epoch FROM now() - a.state_change) AS state_age_s,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid)::text END AS blocked_by,
       a.pid = pg_backend_pid() AS is_self,
       a.query
  FROM pg_stat_activity a
 ORDER BY a.backend_start, a.pid
