-- One table's exact row count and checksum, for the restore test ($1 schema, $2 table, $3 the
-- columns as a JSON array, from restore_test_tables.sql). Run on the source inside the
-- transaction whose snapshot pg_dump used, and on the restored copy.
--
-- The checksum is the sum, as numeric (no overflow), of the first 64 bits of md5 of each row's
-- ROW(columns)::text: it does not depend on the order rows are read in, nor on a collation
-- (the scratch instance's may differ), and needs no memory per row (a string_agg of a large
-- table would). Both sessions set TimeZone, DateStyle, IntervalStyle, extra_float_digits and
-- bytea_output alike (RestoreTest's connection options), so a value prints the same text on
-- both sides.
--
-- query_to_xml runs the statement that format() builds with the identifiers quoted by %I:
-- one round trip, no SQL glued together in the client.
SELECT (xpath('/row/n/text()', x))[1]::text::bigint AS row_count,
       (xpath('/row/h/text()', x))[1]::text AS checksum
  FROM query_to_xml(
         format('SELECT count(*) AS n, coalesce(sum((''x'' || left(md5(ROW(%s)::text), 16))'
                '::bit(64)::bigint::numeric), 0) AS h FROM %I.%I AS t',
                coalesce((SELECT string_agg(format('t.%I', c), ', ' ORDER BY o)
                            FROM jsonb_array_elements_text($3::jsonb) WITH ORDINALITY AS a(c, o)),
                         ''),
                $1::text, $2::text),
         false, true, '') AS x
