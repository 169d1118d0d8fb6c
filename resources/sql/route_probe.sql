-- Where a client of one route lands (ClientRouteProber): asked through PgBouncer (a pooled
-- database) or through an address PgBouncer sends clients to (HAProxy's ports), never straight to
-- a member. The system identifier and the server's address and port identify the member reached
-- (PgBouncer and HAProxy in TCP mode do not change what the server sees of itself); the list of
-- databases lets the prober pick one that only the '*' fallback serves.
SELECT pg_is_in_recovery() AS in_recovery,
       host(inet_server_addr()) AS server_addr,
       inet_server_port() AS server_port,
       (SELECT system_identifier FROM pg_control_system())::text AS system_identifier,
       current_database() AS database,
       (SELECT json_agg(datname ORDER BY datname)
          FROM pg_database WHERE datallowconn AND NOT datistemplate)::text AS databases
