-- =============================================================================
-- 110_database_failovers.sql
-- The leader changes of a Patroni-managed database cluster the portal has seen
-- (docs/operations/high-availability.md): one row per timeline, so that of
-- several portal instances watching the cluster exactly one records a failover
-- (its audit row and the admins' notices are written in the same transaction).
-- =============================================================================

CREATE TABLE IF NOT EXISTS database_failovers (
    timeline    INT PRIMARY KEY,
    leader      TEXT NOT NULL,
    detected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

COMMENT ON TABLE database_failovers IS
    'Timelines of the database cluster seen by the portal (PATRONI_REST_URLS), each with its leader. The first row is where watching began.';
