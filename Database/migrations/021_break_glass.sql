-- =============================================================================
-- 021_break_glass.sql
-- Break-glass emergency access: a doctor outside a patient's care team may read
-- that one chart for a limited time, with a written reason. Every grant waits
-- for an admin's review.
-- =============================================================================

CREATE TABLE break_glass_grants (
    id          SERIAL PRIMARY KEY,
    doctor_id   INT NOT NULL REFERENCES users (id),
    patient_id  INT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    ip_address  TEXT,
    reviewed_at TIMESTAMPTZ,
    reviewed_by INT REFERENCES users (id),
    review_note TEXT,

    CONSTRAINT break_glass_grants_reason_check      CHECK (char_length(btrim(reason)) BETWEEN 20 AND 2000),
    CONSTRAINT break_glass_grants_expiry_check      CHECK (expires_at > granted_at),
    CONSTRAINT break_glass_grants_not_self_check    CHECK (doctor_id <> patient_id),
    CONSTRAINT break_glass_grants_review_check      CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)),
    CONSTRAINT break_glass_grants_review_note_check CHECK (review_note IS NULL OR char_length(review_note) <= 2000)
);

-- "Does this doctor hold a live grant for this patient?" on every chart read.
CREATE INDEX break_glass_grants_doctor_patient_idx ON break_glass_grants (doctor_id, patient_id, expires_at DESC);
-- The admin home's "awaiting review" list.
CREATE INDEX break_glass_grants_unreviewed_idx ON break_glass_grants (granted_at DESC) WHERE reviewed_at IS NULL;

COMMENT ON TABLE break_glass_grants IS
    'Emergency (break-glass) read access of a doctor to one patient chart until expires_at; '
    'patient_id is the patient''s users.id. Reviewed by an admin afterwards.';
