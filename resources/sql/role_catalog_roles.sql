-- Every role name (the role wizard refuses to create one that exists) and the databases that
-- accept connections (where the role may work).
SELECT 'role' AS kind, rolname AS name FROM pg_roles
UNION ALL
SELECT 'database', datname FROM pg_database WHERE datallowconn AND NOT datistemplate
 ORDER BY 1, 2
