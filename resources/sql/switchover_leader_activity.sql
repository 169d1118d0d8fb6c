-- What a switchover will cut on the leader (pre-flight): transactions open longer than $1
-- seconds (client backends only; Vigil's own session excluded) and prepared transactions,
-- which survive the demotion on the old leader and block VACUUM there until resolved.
SELECT
  (SELECT count(*) FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
      AND xact_start < now() - make_interval(secs => $1::double precision)) AS long_transactions,
  (SELECT coalesce(max(extract(epoch FROM now() - xact_start))::bigint, 0) FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
      AND xact_start IS NOT NULL) AS oldest_transaction_seconds,
  (SELECT count(*) FROM pg_prepared_xacts) AS prepared_transactions,
  (SELECT count(*) FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS client_sessions
