-- Tables, views and materialized views of the connected database that a role could be granted
-- (the role wizard), with the sequences each table owns (serial and identity columns, through
-- pg_depend 'a'uto / 'i'nternal dependencies) as a JSON array of [schema, name]: an INSERT
-- needs USAGE on them. System schemas and extensions' own objects (pg_stat_statements' views)
-- are left out.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.relkind,
       COALESCE((SELECT json_agg(json_build_array(sn.nspname, s.relname) ORDER BY s.relname)
                   FROM pg_depend d
                   JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                   JOIN pg_namespace sn ON sn.oid = s.relnamespace
                  WHERE d.refobjid = c.oid
                    AND d.classid = 'pg_class'::regclass
                    AND d.deptype IN ('a', 'i')), '[]')::text AS sequences
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%'
   AND n.nspname NOT LIKE 'pg\_temp%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                      AND e.deptype = 'e')
 ORDER BY 1, 2
