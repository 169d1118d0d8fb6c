-- Sizes and activity per database (the manual's size query, plus pg_stat_database counters).
SELECT d.datname, pg_database_size(d.datname) AS bytes,
       s.numbackends, s.xact_commit, s.xact_rollback, s.blks_read, s.blks_hit,
       s.tup_inserted, s.tup_updated, s.tup_deleted, s.deadlocks, s.temp_bytes,
       s.stats_reset::timestamptz(0)::text AS stats_reset
  FROM pg_database d
  LEFT JOIN pg_stat_database s ON s.datid = d.oid
 WHERE d.datname NOT IN ('template0', 'template1') AND d.datallowconn
 ORDER BY pg_database_size(d.datname) DESC
