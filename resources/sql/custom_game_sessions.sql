-- The ops manual's "Active game sessions" (Monitoring and Alerting, custom queries for gaming
-- metrics): games marked active that moved in the last 5 minutes. One number. Runs read-only in
-- the game database (hokm_game in the sandbox); any replica will do, it only reads a table.
SELECT count(*) AS active_games
  FROM game_sessions
 WHERE status = 'active'
   AND updated_at > now() - interval '5 minutes'
