-- =============================================================================
-- 030_api_tokens.sql
-- Personal access tokens for the FHIR API ("Connected apps"). A token is shown
-- once when it is created; only its SHA-256 hash is kept. Every token has a
-- read-only scope, an expiry of at most a year, and can be revoked (the row
-- stays, so a revoked token answers 410 Gone instead of looking unknown).
-- =============================================================================

CREATE TABLE api_tokens (
    id           SERIAL PRIMARY KEY,
    user_id      INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BYTEA NOT NULL,
    token_hint   TEXT NOT NULL,
    scopes       TEXT[] NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,

    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT api_tokens_token_hash_check CHECK (octet_length(token_hash) = 32),
    CONSTRAINT api_tokens_name_check CHECK (btrim(name) <> '' AND length(name) <= 100),
    CONSTRAINT api_tokens_scopes_check CHECK (
        cardinality(scopes) BETWEEN 1 AND 20
        AND array_to_string(scopes, ' ') ~ '^((patient|user)/(\*|[A-Z][A-Za-z]+)\.read)( (patient|user)/(\*|[A-Z][A-Za-z]+)\.read)*$'
    ),
    CONSTRAINT api_tokens_expiry_check CHECK (expires_at > created_at AND expires_at <= created_at + interval '366 days'),
    CONSTRAINT api_tokens_revoked_check CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);

CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

COMMENT ON TABLE api_tokens IS
    'Personal access tokens of the FHIR API: SHA-256 of the token (never the token), a hint of its '
    'first characters, read-only SMART-style scopes (patient/*.read, user/Observation.read, ...), '
    'expiry (at most a year) and revocation.';
