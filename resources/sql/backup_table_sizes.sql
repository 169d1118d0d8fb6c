-- The tables whose contents pg_dump copies, with their weight for the backup's progress bar:
-- pg_table_size (heap, TOAST, free space and visibility maps; not the indexes, which a dump
-- does not copy). Ordinary and partition tables only (relkind 'r': a partitioned parent holds
-- no rows, a materialized view is refreshed at restore), outside the system schemas.
SELECT n.nspname AS schema_name, c.relname AS table_name, pg_table_size(c.oid) AS bytes
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp\_%'
 ORDER BY 1, 2
