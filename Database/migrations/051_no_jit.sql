-- =============================================================================
-- 051_no_jit.sql
-- The portal's queries are short. PostgreSQL's JIT compiler starts when a
-- plan's estimated cost passes jit_above_cost, and at clinic-chain scale some
-- estimates do (an estimate of 150,000 rows for 500): compiling then took
-- 0.9 s for a query that runs in 60 ms. Turn JIT off for this database's new
-- sessions. ALTER DATABASE needs the database's owner; anyone else gets a
-- notice and the server's setting stays (set jit = off in postgresql.conf).
-- =============================================================================
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left as the server sets it: only the owner of database % may change it', current_database();
END
$$;
