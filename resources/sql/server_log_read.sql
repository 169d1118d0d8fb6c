-- One chunk of a log file: $1 the path (log_directory/name), $2 the byte offset, $3 the length.
-- The binary variant on purpose: pg_read_file checks the text against the database encoding and
-- fails on a chunk cut in the middle of a multi-byte character; the reader decodes the bytes
-- itself and keeps an incomplete last line for the next chunk. missing_ok: NULL when the file
-- is gone (removed by rotation), which the reader takes as "go to the next file".
SELECT pg_catalog.pg_read_binary_file($1, $2::bigint, $3::bigint, true) AS chunk
