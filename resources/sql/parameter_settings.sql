-- Slow-query logging toggle and `vigil edit-config`: what one member runs with after a PATCH
-- /config. pg_settings is SHOW's view with the unit apart (SHOW prints 1000 ms as "1s") and
-- pending_restart (the file says a new value that only a restart applies). $1 is a text array
-- of parameter names.
SELECT name, setting, coalesce(unit, '') AS unit, pending_restart
FROM pg_settings
WHERE name = ANY ($1::text[])
