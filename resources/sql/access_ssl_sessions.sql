-- Client and replication connections with their TLS state (the access view). pg_stat_ssl has a
-- row for every backend; the join keeps the ones that talk to a client. client_addr is NULL for
-- a Unix-domain socket.
SELECT a.pid,
       a.usename,
       a.datname,
       a.application_name,
       host(a.client_addr) AS client_addr,
       a.backend_type,
       s.ssl,
       s.version,
       s.cipher,
       s.bits
  FROM pg_stat_activity a
  JOIN pg_stat_ssl s ON s.pid = a.pid
 WHERE a.backend_type IN ('client backend', 'walsender')
 ORDER BY s.ssl, a.client_addr NULLS FIRST, a.pid
