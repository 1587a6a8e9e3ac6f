-- =============================================================================
-- 090_notification_outbox.sql
-- Email and SMS notices through a transactional outbox. The write that causes a
-- notice inserts its notifications row (type 'email' or 'sms') in the same
-- transaction; workers in every portal instance claim due rows with
-- FOR UPDATE SKIP LOCKED and a lease (claimed_until), so no two instances send
-- the same row and a killed instance's claim is taken again once it expires.
-- Retries move send_after forward (back-off); a permanent failure sets status
-- 'failed' with the server's answer in error_message. Reminders are rows whose
-- send_after lies ahead, tied to their appointment so that moving or cancelling
-- the visit moves or cancels them. Notices carry no clinical content: title and
-- message say only that something is waiting.
-- =============================================================================

ALTER TABLE notifications
    ADD COLUMN kind           TEXT,
    ADD COLUMN recipient      TEXT,
    ADD COLUMN appointment_id INT REFERENCES appointments (id) ON DELETE CASCADE,
    ADD COLUMN send_after     TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN attempts       INT NOT NULL DEFAULT 0,
    ADD COLUMN claimed_by     TEXT,
    ADD COLUMN claimed_until  TIMESTAMPTZ;

ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications
    ADD CONSTRAINT notifications_status_check CHECK (
        status IN ('pending', 'sent', 'delivered', 'failed', 'read', 'cancelled')
    ),
    ADD CONSTRAINT notifications_kind_check CHECK (
        kind IS NULL OR kind IN (
            'appointment_booked', 'appointment_rescheduled', 'appointment_cancelled',
            'appointment_reminder', 'new_message', 'new_result', 'critical_reading',
            'contact_verification'
        )
    ),
    ADD CONSTRAINT notifications_attempts_check CHECK (attempts >= 0),
    ADD CONSTRAINT notifications_claim_check CHECK ((claimed_by IS NULL) = (claimed_until IS NULL));

-- Outgoing rows written before this migration were never sent by anyone: they
-- are not sent now either (cancelled, with the reason), and keep no kind.
UPDATE notifications
SET status = 'cancelled', error_message = 'Queued before the portal sent email or SMS; not sent.'
WHERE type <> 'in_app' AND status = 'pending';

-- An outgoing notice still to send knows what it tells of; in-app rows and the
-- history (the demo data's delivered email, the rows above) may have no kind.
ALTER TABLE notifications
    ADD CONSTRAINT notifications_outgoing_kind_check CHECK (type = 'in_app' OR status <> 'pending' OR kind IS NOT NULL);

COMMENT ON COLUMN notifications.kind IS 'What the notice tells of (appointment_booked, appointment_reminder, new_message, …); never clinical content.';
COMMENT ON COLUMN notifications.recipient IS 'Email address or E.164 phone number the notice goes to; null for in-app rows.';
COMMENT ON COLUMN notifications.send_after IS 'Not sent before this time: a reminder''s moment, or the next retry after a temporary failure.';
COMMENT ON COLUMN notifications.claimed_until IS 'Lease of the instance sending the row (claimed_by); an expired lease is claimed again.';

-- The workers' queue: due outgoing rows, oldest first.
CREATE INDEX notifications_outbox_due_idx
    ON notifications (send_after, id)
    WHERE status = 'pending' AND type IN ('email', 'sms');

-- Moving or cancelling a visit finds its pending notices.
CREATE INDEX notifications_appointment_idx
    ON notifications (appointment_id)
    WHERE appointment_id IS NOT NULL;

-- -----------------------------------------------------------------------------
-- Where a user wants to be reached, per kind and channel. No row: the default
-- (email on for every kind, SMS off). A row with enabled = false is also what a
-- one-click unsubscribe writes.
-- -----------------------------------------------------------------------------
CREATE TABLE notification_preferences (
    user_id    INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),

    PRIMARY KEY (user_id, kind, channel),
    CONSTRAINT notification_preferences_channel_check CHECK (channel IN ('email', 'sms')),
    CONSTRAINT notification_preferences_kind_check CHECK (
        kind IN (
            'appointment_booked', 'appointment_rescheduled', 'appointment_cancelled',
            'appointment_reminder', 'new_message', 'new_result', 'critical_reading'
        )
    )
);

COMMENT ON TABLE notification_preferences IS
    'Per user, kind and channel: whether to send. Missing row = default (email on, SMS off).';

-- -----------------------------------------------------------------------------
-- The addresses notices go to. The account's sign-in email is used for email
-- when there is no verified row; SMS needs a verified phone. An address is
-- used only once verified_at is set (the user typed the code sent to it).
-- -----------------------------------------------------------------------------
CREATE TABLE notification_contacts (
    user_id          INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel          TEXT NOT NULL,
    address          TEXT NOT NULL,
    verified_at      TIMESTAMPTZ,
    code_hash        TEXT,
    code_expires_at  TIMESTAMPTZ,
    code_attempts    INT NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),

    PRIMARY KEY (user_id, channel),
    CONSTRAINT notification_contacts_channel_check CHECK (channel IN ('email', 'sms')),
    CONSTRAINT notification_contacts_email_check CHECK (
        channel <> 'email' OR (address = lower(address) AND address ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')
    ),
    CONSTRAINT notification_contacts_phone_e164_check CHECK (channel <> 'sms' OR address ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT notification_contacts_code_check CHECK ((code_hash IS NULL) = (code_expires_at IS NULL)),
    CONSTRAINT notification_contacts_code_attempts_check CHECK (code_attempts >= 0)
);

COMMENT ON TABLE notification_contacts IS
    'Email address or E.164 phone per user and channel, used once verified by a code (code_hash is a hash, never the code).';

-- -----------------------------------------------------------------------------
-- Quiet hours, in the clinic's time zone: SMS and reminders due inside them
-- wait until they end (a critical reading to a doctor does not wait).
-- -----------------------------------------------------------------------------
CREATE TABLE notification_settings (
    user_id     INT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    quiet_from  TIME,
    quiet_until TIME,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT notification_settings_quiet_hours_check CHECK (
        (quiet_from IS NULL) = (quiet_until IS NULL) AND (quiet_from IS NULL OR quiet_from <> quiet_until)
    )
);

COMMENT ON TABLE notification_settings IS
    'Per user: quiet hours (clinic time zone) during which SMS and reminders wait.';
