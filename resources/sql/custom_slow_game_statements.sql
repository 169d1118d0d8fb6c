-- The ops manual's "Slow queries affecting gaming": statements touching the game's tables
-- (game_*) whose mean execution time is over 1 s, one line per statement (its first 48
-- characters, blanks folded), in seconds. Needs pg_stat_statements in this database; the
-- server's statistics, so it runs where the game's traffic goes (the leader).
SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 48) AS label,
       round((mean_exec_time / 1000.0)::numeric, 3) AS mean_seconds
  FROM pg_stat_statements
 WHERE query LIKE '%game\_%'
   AND mean_exec_time > 1000
 ORDER BY mean_exec_time DESC
 LIMIT 8
