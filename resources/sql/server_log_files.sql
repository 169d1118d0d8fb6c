-- The files of the log directory, oldest first (ServerLogReader follows them in this order).
-- A file's modification time is its last write, so a file modified before a --since time holds
-- nothing after it. The csvlog and jsonlog files (log_destination) are left out: the reader
-- reads the stderr format. The time as milliseconds since the epoch: no DateStyle to parse.
SELECT name, size, (extract(epoch FROM modification) * 1000)::bigint AS modified_ms
  FROM pg_catalog.pg_ls_logdir()
 WHERE name NOT LIKE '%.csv' AND name NOT LIKE '%.json'
 ORDER BY modification, name
