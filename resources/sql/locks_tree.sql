-- The blocker tree, aggregated on the server (one row per session shown in the tree).
--
-- Contract: built from pg_blocking_pids() of the sessions that wait on a heavyweight lock
-- (wait_event_type = 'Lock') only, and pg_stat_activity; pg_locks is not read here at all (with
-- 50,000 locks one pg_locks scan alone costs ~100 ms: it materialises every lock). What each
-- waiter asks for (mode, relation, exact wait start) is locks_waiting.sql, merged by the client. The tree is a forest:
-- every waiting session appears exactly once, under one "parent" blocker: the first of its
-- blockers that is not waiting itself (the session that holds what it needs), otherwise its
-- first blocker. Its complete blocker list is in blocked_by, so nothing is hidden.
-- direct = sessions shown directly under a row, total = all sessions below it. Waiting sessions
-- that no root reaches (a deadlock cycle, until the deadlock detector breaks it) come as extra
-- roots with in_cycle = true. Cost: O(waiting sessions x tree depth) plus pg_blocking_pids
-- itself; the 50-level depth cap only guards against pathological chains.
WITH RECURSIVE
-- pg_stat_activity is read once (its cost grows with the square of the number of sessions on
-- PostgreSQL 15: every row looks its backend up in the proc array; ~40 ms at 6,000 sessions).
act AS MATERIALIZED (
    SELECT a.pid, a.backend_start, a.usename, a.datname, a.application_name, a.client_addr,
           a.state, a.wait_event_type, a.wait_event, a.backend_type, a.xact_start,
           a.state_change, left(a.query, 4000) AS query
      FROM pg_stat_activity a
),
waiting AS MATERIALIZED (
    SELECT a.pid, pg_blocking_pids(a.pid) AS blockers
      FROM act a
     WHERE a.wait_event_type = 'Lock'
),
w AS MATERIALIZED (
    SELECT pid, blockers FROM waiting WHERE cardinality(blockers) > 0
),
parent_of AS MATERIALIZED (
    SELECT w.pid,
           COALESCE((SELECT u.b FROM unnest(w.blockers) WITH ORDINALITY AS u(b, i)
                      WHERE u.b NOT IN (SELECT pid FROM w) ORDER BY u.i LIMIT 1),
                    w.blockers[1]) AS parent,
           w.blockers
      FROM w
),
tree (root, pid, parent, depth, path) AS (
    SELECT DISTINCT p.parent, p.parent, NULL::int, 0, ARRAY[p.parent]
      FROM parent_of p
     WHERE p.parent NOT IN (SELECT pid FROM w)
    UNION ALL
    SELECT t.root, p.pid, p.parent, t.depth + 1, t.path || p.pid
      FROM tree t JOIN parent_of p ON p.parent = t.pid
     WHERE t.depth < 50 AND p.pid <> ALL (t.path)
),
cycle AS (
    SELECT p.pid, p.pid AS root, NULL::int AS parent, 0 AS depth, ARRAY[p.pid] AS path
      FROM parent_of p
     WHERE p.pid NOT IN (SELECT pid FROM tree)
),
nodes AS (
    SELECT root, pid, parent, depth, path, false AS in_cycle FROM tree
    UNION ALL
    SELECT root, pid, parent, depth, path, true FROM cycle
),
totals AS (
    SELECT anc AS pid, count(*) AS total
      FROM nodes n, unnest(n.path[1:cardinality(n.path) - 1]) AS anc
     WHERE NOT n.in_cycle
     GROUP BY anc
),
directs AS (
    SELECT parent AS pid, count(*) AS direct FROM nodes WHERE parent IS NOT NULL GROUP BY parent
)
SELECT n.root, n.pid, n.parent, n.depth, n.in_cycle,
       COALESCE(d.direct, 0) AS direct, COALESCE(t.total, 0) AS total,
       po.blockers::text AS blocked_by,
       a.backend_start::text AS backend_start,
       a.usename, a.datname, a.application_name, host(a.client_addr) AS client_addr,
       a.state, a.wait_event_type, a.wait_event, a.backend_type,
       extract(epoch FROM now() - a.xact_start) AS xact_age_s,
       -- Without pg_locks: the wait began at the latest when the statement did; the exact start,
       -- mode and relation come from locks_waiting.sql (a pg_locks scan, fetched less often).
       CASE WHEN n.depth > 0 OR n.in_cycle THEN extract(epoch FROM now() - a.state_change) END AS wait_s,
       CASE WHEN a.wait_event_type = 'Lock' THEN a.wait_event END AS lock_type,
       a.query
  FROM nodes n
  LEFT JOIN act a ON a.pid = n.pid
  LEFT JOIN parent_of po ON po.pid = n.pid
  LEFT JOIN directs d ON d.pid = n.pid
  LEFT JOIN totals t ON t.pid = n.pid
 ORDER BY n.depth = 0 DESC, COALESCE(t.total, 0) DESC, n.root, n.depth, n.pid
