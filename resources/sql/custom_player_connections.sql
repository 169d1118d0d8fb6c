-- The ops manual's "Player connection rate": the game's connections by application name
-- (application_name LIKE 'hokm%'), one line per application. pg_stat_activity shows only the
-- server it runs on: run it where the game connects (the leader).
SELECT application_name AS label, count(*) AS connections
  FROM pg_stat_activity
 WHERE application_name LIKE 'hokm%'
 GROUP BY application_name
 ORDER BY application_name
