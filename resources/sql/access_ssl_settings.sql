-- The TLS settings and the two that decide how exposed and how hashed (the access view).
SELECT name, setting, source, short_desc
  FROM pg_settings
 WHERE name LIKE 'ssl%'
    OR name IN ('listen_addresses', 'password_encryption', 'server_version_num')
 ORDER BY name
