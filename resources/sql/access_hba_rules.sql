-- pg_hba.conf as the server parsed it (the access view). Reading it needs superuser or EXECUTE
-- on pg_hba_file_rules(); without it the view says so. Arrays are joined to one text each so the
-- reader sees plain cells; the error column marks a line the server ignores.
SELECT line_number,
       type,
       array_to_string(database, ',') AS database,
       array_to_string(user_name, ',') AS user_name,
       address,
       netmask,
       auth_method,
       array_to_string(options, ' ') AS options,
       error
  FROM pg_hba_file_rules
 ORDER BY line_number
