-- Login roles the password rotation offers, from the leader: when each password expires, whether
-- this connection's own role is it, and whether Patroni itself logs in with it: replication
-- connections (pg_stat_replication) or Patroni's own sessions (application_name 'Patroni...').
-- Those passwords live in Patroni's configuration on every member and are refused.
-- password_encryption rides along: a warning when other tools would still store MD5.
SELECT r.rolname,
       r.rolvaliduntil,
       r.rolsuper,
       r.rolreplication,
       EXISTS (SELECT 1 FROM pg_stat_replication s WHERE s.usename = r.rolname) AS streams,
       EXISTS (SELECT 1 FROM pg_stat_activity a
                WHERE a.usename = r.rolname AND a.application_name LIKE 'Patroni%') AS patroni,
       r.rolname = current_user AS is_current,
       current_setting('password_encryption') AS password_encryption
  FROM pg_roles r
 WHERE r.rolcanlogin
 ORDER BY r.rolname
