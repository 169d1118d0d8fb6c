-- Cancel or terminate sessions, each identified by (pid, backend_start), in ONE statement that
-- re-checks the identity on the server at the moment of signalling, so a PID reused by a new
-- backend since the plan was made is never hit.
--   $1 int[]          PIDs
--   $2 timestamptz[]  their backend_start, as read when the plan was made (same order)
--   $3 text[]         per session, the states it must still be in ('idle' or
--                     'idle in transaction' ... separated by '|'), or NULL for any state
--   $4 text           'terminate' or 'cancel'
-- One row per planned session: outcome is one of
--   terminated / cancelled   the signal was sent (pg_*_backend returned true)
--   failed                   pg_*_backend returned false (the process was gone by then)
--   gone                     no session with this PID any more
--   pid_reused               the PID belongs to another session now (different backend_start)
--   state_changed            the session is no longer in the planned state
--   self                     this is Vigil's own connection
--   not_client               not a client backend (replication, background worker, ...)
--   not_permitted            this role may not signal that session (superuser's, or another
--                            role's without pg_signal_backend); checked first because
--                            pg_*_backend would raise an error and abort the whole statement
-- pg_stat_activity is a snapshot taken at the start of this statement; the window between it
-- and the signal is the execution of this one statement.
WITH plan AS (
    SELECT p.pid, p.backend_start, p.states, p.ord
      FROM unnest($1::int[], $2::timestamptz[], $3::text[]) WITH ORDINALITY AS p(pid, backend_start, states, ord)
),
me AS (
    SELECT r.rolsuper, pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS signaller
      FROM pg_roles r WHERE r.rolname = current_user
),
checked AS (
    SELECT p.ord, p.pid, p.backend_start, a.application_name, a.usename, a.state AS current_state,
           a.backend_start AS current_backend_start,
           CASE
             WHEN a.pid IS NULL THEN 'gone'
             WHEN a.backend_start IS DISTINCT FROM p.backend_start THEN 'pid_reused'
             WHEN a.pid = pg_backend_pid() THEN 'self'
             WHEN a.backend_type IS DISTINCT FROM 'client backend' THEN 'not_client'
             WHEN p.states IS NOT NULL AND NOT (a.state = ANY (string_to_array(p.states, '|'))) THEN 'state_changed'
             WHEN NOT me.rolsuper AND (COALESCE((SELECT r.rolsuper FROM pg_roles r WHERE r.oid = a.usesysid), false)
                  OR NOT (me.signaller OR pg_has_role(current_user, a.usesysid, 'MEMBER'))) THEN 'not_permitted'
             ELSE 'ok'
           END AS verdict
      FROM plan p CROSS JOIN me
      LEFT JOIN pg_stat_activity a ON a.pid = p.pid
)
SELECT c.pid, c.backend_start::text AS backend_start, c.application_name, c.usename,
       c.current_state, c.current_backend_start::text AS current_backend_start,
       CASE
         WHEN c.verdict <> 'ok' THEN c.verdict
         WHEN $4::text = 'cancel' THEN CASE WHEN pg_cancel_backend(c.pid) THEN 'cancelled' ELSE 'failed' END
         ELSE CASE WHEN pg_terminate_backend(c.pid) THEN 'terminated' ELSE 'failed' END
       END AS outcome
  FROM checked c
 ORDER BY c.ord
