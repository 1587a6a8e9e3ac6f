-- =============================================================================
-- 020_two_factor.sql
-- Two-factor sign-in (TOTP): one authenticator per user, its secret encrypted
-- with the portal's Data Protection keys (never stored in clear), and ten
-- one-time recovery codes per enrolment, stored as salted SHA-256 digests.
-- =============================================================================

CREATE TABLE user_two_factor (
    user_id          INT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_protected TEXT NOT NULL,
    -- NULL while the enrolment waits for its first code; set when that code was right.
    confirmed_at     TIMESTAMPTZ,
    -- The highest TOTP time step accepted so far: a code of that step or an earlier one is a replay.
    last_used_step   BIGINT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT user_two_factor_secret_not_blank_check CHECK (btrim(secret_protected) <> ''),
    CONSTRAINT user_two_factor_step_needs_confirmation_check CHECK (last_used_step IS NULL OR confirmed_at IS NOT NULL)
);

COMMENT ON TABLE user_two_factor IS
    'Authenticator app (TOTP) of a user. secret_protected is encrypted with the Data Protection keys; '
    'last_used_step refuses a code that was already accepted.';

CREATE TABLE two_factor_recovery_codes (
    id         SERIAL PRIMARY KEY,
    user_id    INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT two_factor_recovery_codes_hash_check CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT two_factor_recovery_codes_unique UNIQUE (user_id, code_hash)
);

CREATE INDEX two_factor_recovery_codes_unused_idx ON two_factor_recovery_codes (user_id) WHERE used_at IS NULL;

COMMENT ON TABLE two_factor_recovery_codes IS
    'One-time recovery codes, shown once at enrolment; stored as SHA-256 of the user id and the code. '
    'A used code keeps its row (used_at) so it can never work again.';
