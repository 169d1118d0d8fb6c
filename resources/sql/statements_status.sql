-- Is pg_stat_statements usable here? preloaded: in shared_preload_libraries (a restart is
-- needed to change that); installed: CREATE EXTENSION done in this database (and in which
-- schema); available: the extension's files are installed on the server.
SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded,
       current_setting('shared_preload_libraries') AS shared_preload_libraries,
       e.extversion AS installed_version,
       n.nspname AS schema,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS available,
       current_database() AS database
  FROM (SELECT 1) one
  LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
  LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
