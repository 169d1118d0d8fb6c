-- What each waiting session asks for, for the blocker tree's "Lock wanted" column: its ungranted
-- request (mode, lock type, relation, target, when the wait began) and, for a row-lock waiter,
-- the tuple lock it queues on. One filtered scan of pg_locks (never joined to itself). The scan
-- materialises every lock of the server, so the lock tree reads this less often than the tree
-- itself when it is slow (see LockService).
WITH w AS (
    SELECT l.pid, l.granted, l.mode, l.locktype, l.database, l.relation, l.page, l.tuple,
           l.transactionid, l.classid, l.objid, l.virtualxid, l.waitstart
      FROM pg_locks l
     WHERE NOT l.granted OR l.locktype = 'tuple'
),
wanted AS (
    SELECT DISTINCT ON (pid) * FROM w WHERE NOT granted ORDER BY pid
),
tuple_of AS (
    SELECT DISTINCT ON (pid) * FROM w WHERE granted AND locktype = 'tuple' ORDER BY pid
)
SELECT wl.pid, wl.mode AS lock_mode, wl.locktype AS lock_type,
       extract(epoch FROM now() - wl.waitstart) AS wait_s,
       CASE
         WHEN COALESCE(wl.relation, tp.relation) IS NULL THEN NULL
         WHEN COALESCE(wl.database, tp.database) IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
           THEN COALESCE(wl.relation, tp.relation)::regclass::text
         -- Another database's relation has no name here: its oid and database ("oid 16452 in
         -- database hokm_game"); the GUI looks the name up on that database.
         ELSE 'oid ' || COALESCE(wl.relation, tp.relation)::text || ' in database '
              || COALESCE((SELECT datname FROM pg_database WHERE oid = COALESCE(wl.database, tp.database)), '?')
       END AS relation,
       CASE wl.locktype
         WHEN 'transactionid' THEN 'transaction ' || wl.transactionid::text
           || COALESCE(' (row (' || tp.page || ',' || tp.tuple || '))', '')
         WHEN 'tuple' THEN 'row (' || wl.page || ',' || wl.tuple || ')'
         WHEN 'advisory' THEN 'advisory key ' || wl.classid::text || ',' || wl.objid::text
         WHEN 'virtualxid' THEN 'virtual transaction ' || wl.virtualxid
         ELSE wl.locktype
       END AS lock_target
  FROM wanted wl
  LEFT JOIN tuple_of tp ON tp.pid = wl.pid
