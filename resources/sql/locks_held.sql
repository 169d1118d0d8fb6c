-- The locks one session holds or waits for ($1 = pid), for the sessions view's detail pane.
SELECT l.locktype, l.mode, l.granted,
       CASE
         WHEN l.relation IS NULL THEN NULL
         WHEN l.database IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
           THEN l.relation::regclass::text
         ELSE 'oid ' || l.relation::text || ' in ' || COALESCE((SELECT datname FROM pg_database WHERE oid = l.database), '?')
       END AS relation,
       concat_ws(' ',
         CASE WHEN l.page IS NOT NULL THEN 'row (' || l.page || ',' || l.tuple || ')' END,
         CASE WHEN l.transactionid IS NOT NULL THEN 'transaction ' || l.transactionid END,
         CASE WHEN l.virtualxid IS NOT NULL THEN 'virtual transaction ' || l.virtualxid END,
         CASE WHEN l.locktype = 'advisory' THEN 'key ' || l.classid || ',' || l.objid END) AS target,
       extract(epoch FROM now() - l.waitstart) AS wait_s
  FROM pg_locks l
 WHERE l.pid = $1::int
 ORDER BY l.granted, l.locktype, l.mode
