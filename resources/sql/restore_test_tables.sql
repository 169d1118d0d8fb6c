-- The tables a restore test counts and checksums: ordinary tables outside the system schemas
-- that no extension owns (an extension's tables are created by CREATE EXTENSION, not by the
-- dump's data). For each, the columns its checksum covers, as a JSON array: the primary key's
-- columns in key order, then up to 2 more columns in column order; without a primary key the
-- first 3 columns.
WITH t AS (
    SELECT c.oid, n.nspname, c.relname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\_toast%'
       AND n.nspname NOT LIKE 'pg\_temp\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND d.deptype = 'e')
), keycols AS (
    SELECT t.oid, a.attname, k.ord
      FROM t
      JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
), othercols AS (
    SELECT a.attrelid AS oid, a.attname,
           row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS ord
      FROM pg_attribute a
      JOIN t ON t.oid = a.attrelid
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND NOT EXISTS (SELECT 1 FROM keycols k WHERE k.oid = a.attrelid AND k.attname = a.attname)
)
SELECT t.nspname AS schema_name,
       t.relname AS table_name,
       coalesce((SELECT jsonb_agg(x.attname ORDER BY x.grp, x.ord)
                   FROM (SELECT k.attname, 0 AS grp, k.ord FROM keycols k WHERE k.oid = t.oid
                         UNION ALL
                         SELECT o.attname, 1, o.ord FROM othercols o
                          WHERE o.oid = t.oid
                            AND o.ord <= CASE WHEN EXISTS (SELECT 1 FROM keycols k
                                                            WHERE k.oid = t.oid)
                                              THEN 2 ELSE 3 END) x),
                '[]'::jsonb)::text AS columns,
       pg_table_size(t.oid) AS bytes
  FROM t
 ORDER BY 1, 2
