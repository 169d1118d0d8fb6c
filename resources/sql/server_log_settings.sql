-- What reading this server's log needs, in one round trip (ServerLogAccess::parse): the
-- settings that say where and how the log is written, and whether this role may list the log
-- directory and read its files. The privileges are asked for, not tried: the reader then says
-- exactly which grant is missing before it reads anything.
--   pg_ls_logdir()              superuser or pg_monitor (granted to pg_monitor by default)
--   pg_read_binary_file(...)    superuser or an explicit GRANT EXECUTE (pg_read_server_files
--                               alone does not grant it: it only lifts the data-directory
--                               restriction on the paths)
-- log_directory, log_filename and data_directory need pg_read_all_settings (pg_monitor has
-- it): current_setting() raises an error without it (missing_ok does not cover that), so they
-- are read only when settings_visible, else NULL.
SELECT current_user AS role,
       (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser,
       current_setting('logging_collector') AS logging_collector,
       current_setting('log_destination') AS log_destination,
       current_setting('log_line_prefix') AS log_line_prefix,
       pg_has_role('pg_read_all_settings', 'USAGE') AS settings_visible,
       CASE WHEN pg_has_role('pg_read_all_settings', 'USAGE')
            THEN current_setting('log_directory') END AS log_directory,
       CASE WHEN pg_has_role('pg_read_all_settings', 'USAGE')
            THEN current_setting('log_filename') END AS log_filename,
       CASE WHEN pg_has_role('pg_read_all_settings', 'USAGE')
            THEN current_setting('data_directory') END AS data_directory,
       has_function_privilege('pg_catalog.pg_ls_logdir()', 'EXECUTE') AS can_list,
       has_function_privilege('pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)',
                              'EXECUTE') AS can_read,
       pg_has_role('pg_read_server_files', 'MEMBER') AS reads_server_files
