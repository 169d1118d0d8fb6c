-- The restore test's source snapshot, run first in its REPEATABLE READ READ ONLY transaction:
-- the snapshot's ID for pg_dump --snapshot (valid while this transaction stays open), the
-- database's encoding (the scratch database is created with the same, so md5 of a row's text
-- reads the same bytes) and its size on disk (a figure for the report).
SELECT pg_export_snapshot() AS snapshot,
       pg_encoding_to_char(d.encoding) AS encoding,
       pg_database_size(d.datname) AS bytes
  FROM pg_database d
 WHERE d.datname = current_database()
