-- Cumulative pg_stat_statements counters, all databases and users (the view shows every
-- database's statements, whichever database it is read from). %1 is the extension's schema,
-- escaped with PQescapeIdentifier. Requires pg_stat_statements 1.9+ (PostgreSQL 14+:
-- toplevel, *_exec_time). (userid, dbid, queryid, toplevel) is the key of a row; deltas are
-- computed client-side between two samples. stats_reset (pg_stat_statements_info) tells a reset
-- of everything apart from one entry being evicted and re-created.
SELECT s.userid::bigint AS userid, s.dbid::bigint AS dbid, s.queryid, s.toplevel,
       r.rolname, d.datname,
       s.calls, s.total_exec_time, s.mean_exec_time, s.max_exec_time, s.rows,
       s.shared_blks_hit, s.shared_blks_read, s.shared_blks_dirtied, s.shared_blks_written,
       s.temp_blks_written,
       (SELECT i.stats_reset::text FROM %1.pg_stat_statements_info i) AS stats_reset,
       s.query
  FROM %1.pg_stat_statements(true) s
  LEFT JOIN pg_roles r ON r.oid = s.userid
  LEFT JOIN pg_database d ON d.oid = s.dbid
 WHERE s.queryid IS NOT NULL
