-- Failed sign-ins per email (normalized: trimmed, lower case) and client address, whether or not
-- the email belongs to an account, so an unknown email locks exactly like a known one and the
-- login page never tells which emails exist. Two kinds of row per email:
--   client_key = the address (IPv6 per /64): LOGIN_MAX_FAILED_ATTEMPTS failures lock the email for
--                that address only, so someone elsewhere cannot lock a doctor out of the clinic;
--   client_key = '*': every address together; LOGIN_ACCOUNT_MAX_FAILED_ATTEMPTS (a much higher
--                ceiling) locks the email everywhere, against guessing spread over many addresses.
-- A count covers a fixed window of LOGIN_LOCKOUT_MINUTES from its first failure (so one address,
-- locked after a handful, can never fill the ceiling alone), and starts again when the window or
-- its lock has run out, or at a successful sign-in from that address.
-- users.failed_login_attempts / locked_until mirror the '*' row of an account's email (the admin
-- console shows them; unlocking deletes the email's rows here too).

CREATE TABLE sign_in_failures (
    email_key      TEXT NOT NULL,
    client_key     TEXT NOT NULL,
    failures       INT NOT NULL,
    window_start   TIMESTAMPTZ NOT NULL,
    locked_until   TIMESTAMPTZ,

    CONSTRAINT sign_in_failures_pkey PRIMARY KEY (email_key, client_key),
    CONSTRAINT sign_in_failures_failures_check CHECK (failures > 0),
    CONSTRAINT sign_in_failures_email_key_check CHECK (length(email_key) BETWEEN 1 AND 254 AND email_key = lower(email_key)),
    CONSTRAINT sign_in_failures_client_key_check CHECK (length(client_key) BETWEEN 1 AND 64)
);

-- Counting deletes the windows that ended on the way.
CREATE INDEX sign_in_failures_window_start_idx ON sign_in_failures (window_start);

COMMENT ON TABLE sign_in_failures IS
    'Failed sign-ins per normalized email and client address (''*'': all addresses), known and unknown emails alike; drives the lockout.';
