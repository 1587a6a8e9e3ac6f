-- The sign-in rate limit, shared by every portal instance: one row per client address (IPv6 per
-- /64) with the start of its current one-minute window and the attempts made in it. Ten attempts a
-- minute per address means ten across all instances, not ten on each.
-- UNLOGGED: counters for the minute at hand are not worth a WAL record each; after a crash the table
-- comes back empty (every client starts a fresh minute) and standbys do not carry it.

CREATE UNLOGGED TABLE login_rate_limits (
    client_key   TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    attempts     INT NOT NULL,

    CONSTRAINT login_rate_limits_attempts_check CHECK (attempts > 0)
);

-- The clean-up deletes windows that ended.
CREATE INDEX login_rate_limits_window_start_idx ON login_rate_limits (window_start);

COMMENT ON TABLE login_rate_limits IS
    'Sign-in attempts per client address in its current one-minute window, counted by all portal instances together.';
