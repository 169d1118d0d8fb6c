-- Per table of the connected database: writes, scans, size. "Many sequential scans" =
-- seq_scan large next to idx_scan on a table that is not tiny (the view highlights it).
SELECT t.schemaname, t.relname,
       pg_total_relation_size(t.relid) AS total_bytes,
       t.n_live_tup, t.n_dead_tup,
       t.n_tup_ins, t.n_tup_upd, t.n_tup_del, t.n_tup_hot_upd,
       t.seq_scan, t.seq_tup_read, COALESCE(t.idx_scan, 0) AS idx_scan,
       t.last_autovacuum::timestamptz(0)::text AS last_autovacuum,
       t.last_autoanalyze::timestamptz(0)::text AS last_autoanalyze
  FROM pg_stat_user_tables t
 ORDER BY t.n_tup_ins + t.n_tup_upd + t.n_tup_del DESC, t.relname
