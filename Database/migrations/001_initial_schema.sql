-- =============================================================================
-- 001_initial_schema.sql
-- MediConnect Portal: initial PostgreSQL 15 schema.
-- Creates the shared trigger functions, all tables with their constraints and
-- indexes, the updated_at / append-only triggers, and the reporting views.
-- Runs once, inside the migration runner's transaction (no BEGIN/COMMIT here).
-- =============================================================================


-- -----------------------------------------------------------------------------
-- Shared trigger functions
-- -----------------------------------------------------------------------------

-- Keeps updated_at current on every UPDATE of a table that has the column.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE trigger function: sets NEW.updated_at to now().';

-- Makes audit_log append-only: rejects UPDATE, DELETE and TRUNCATE.
-- The one exception is the referential action of audit_log.user_id
-- (ON DELETE SET NULL when a user row is deleted): PostgreSQL runs it as a
-- nested UPDATE (pg_trigger_depth() > 1) that only sets user_id to NULL.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        IF OLD.user_id IS NOT NULL
           AND NEW.user_id IS NULL
           AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
            RETURN NEW;
        END IF;
    END IF;

    RAISE EXCEPTION 'audit_log is append-only'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries can only be inserted, never changed or removed.';
END;
$$;

COMMENT ON FUNCTION audit_log_append_only() IS
    'Trigger function that rejects UPDATE, DELETE and TRUNCATE on audit_log '
    '(except the ON DELETE SET NULL action of audit_log.user_id).';


-- -----------------------------------------------------------------------------
-- users: every person who can sign in (admins, doctors, patients)
-- -----------------------------------------------------------------------------
CREATE TABLE users (
    id                    SERIAL PRIMARY KEY,
    email                 TEXT NOT NULL UNIQUE,
    password              TEXT NOT NULL,
    role                  TEXT NOT NULL,
    name                  TEXT NOT NULL,
    specialization        TEXT,
    phone                 TEXT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login            TIMESTAMPTZ,
    is_active             BOOLEAN NOT NULL DEFAULT true,
    failed_login_attempts INT NOT NULL DEFAULT 0,
    locked_until          TIMESTAMPTZ,

    CONSTRAINT users_email_lowercase_check CHECK (email = lower(email)),
    CONSTRAINT users_email_format_check    CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT users_password_bcrypt_check CHECK (password ~ '^\$2[abxy]?\$\d\d\$'),
    CONSTRAINT users_role_check            CHECK (role IN ('admin', 'doctor', 'patient')),
    CONSTRAINT users_name_not_blank_check  CHECK (btrim(name) <> ''),
    CONSTRAINT users_failed_login_attempts_check CHECK (failed_login_attempts >= 0)
);

CREATE INDEX users_role_idx ON users (role);

CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE users IS
    'Portal accounts (admin, doctor, patient). Email is stored lowercase, password is a bcrypt hash; '
    'failed_login_attempts and locked_until implement the sign-in lockout.';


-- -----------------------------------------------------------------------------
-- patients: clinical and administrative profile of a patient user
-- -----------------------------------------------------------------------------
CREATE TABLE patients (
    id                      SERIAL PRIMARY KEY,
    user_id                 INT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    blood_type              TEXT,
    allergies               TEXT,
    conditions              TEXT,
    emergency_contact_name  TEXT,
    emergency_contact_phone TEXT,
    insurance_provider      TEXT,
    insurance_member_id     TEXT,
    last_eligibility_check  TIMESTAMPTZ,
    date_of_birth           DATE,
    gender                  TEXT,
    address                 TEXT,
    city                    TEXT,
    state                   TEXT,
    zip_code                TEXT,
    country                 TEXT DEFAULT 'USA',
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT patients_blood_type_check
        CHECK (blood_type IN ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-')),
    CONSTRAINT patients_date_of_birth_check CHECK (date_of_birth > DATE '1900-01-01')
);

CREATE TRIGGER patients_set_updated_at
    BEFORE UPDATE ON patients
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE patients IS
    'Patient profile (demographics, blood type, allergies, conditions, insurance, emergency contact), '
    'one row per patient user. allergies and conditions are comma-separated free text.';


-- -----------------------------------------------------------------------------
-- vital_signs: readings entered by patients, staff or synced from devices
-- -----------------------------------------------------------------------------
CREATE TABLE vital_signs (
    id                SERIAL PRIMARY KEY,
    patient_id        INT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    heart_rate        INT,
    blood_pressure    TEXT,
    temperature       NUMERIC(4, 2),
    oxygen_saturation INT,
    respiratory_rate  INT,
    weight            NUMERIC(5, 2),
    height            NUMERIC(5, 2),
    glucose_level     INT,
    recorded_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    recorded_by       INT REFERENCES users (id) ON DELETE SET NULL,
    device_source     TEXT NOT NULL DEFAULT 'Manual Entry',
    notes             TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT vital_signs_heart_rate_check        CHECK (heart_rate BETWEEN 20 AND 250),
    CONSTRAINT vital_signs_blood_pressure_check    CHECK (blood_pressure ~ '^\d{2,3}/\d{2,3}$'),
    CONSTRAINT vital_signs_temperature_check       CHECK (temperature BETWEEN 30 AND 45),
    CONSTRAINT vital_signs_oxygen_saturation_check CHECK (oxygen_saturation BETWEEN 50 AND 100),
    CONSTRAINT vital_signs_respiratory_rate_check  CHECK (respiratory_rate BETWEEN 4 AND 60),
    CONSTRAINT vital_signs_weight_check            CHECK (weight > 0 AND weight < 500),
    CONSTRAINT vital_signs_height_check            CHECK (height > 30 AND height < 260),
    CONSTRAINT vital_signs_glucose_level_check     CHECK (glucose_level BETWEEN 20 AND 600),
    CONSTRAINT vital_signs_has_measure_check CHECK (
        heart_rate IS NOT NULL
        OR blood_pressure IS NOT NULL
        OR temperature IS NOT NULL
        OR oxygen_saturation IS NOT NULL
        OR respiratory_rate IS NOT NULL
        OR weight IS NOT NULL
        OR height IS NOT NULL
        OR glucose_level IS NOT NULL
    )
);

CREATE INDEX vital_signs_patient_recorded_idx ON vital_signs (patient_id, recorded_at DESC);

COMMENT ON TABLE vital_signs IS
    'Vital-sign readings of a patient (units: temperature degC, weight kg, height cm, glucose mg/dL, '
    'SpO2 %). blood_pressure is text "systolic/diastolic". At least one measure per row.';


-- -----------------------------------------------------------------------------
-- appointments: visits between a patient user and a doctor user
-- -----------------------------------------------------------------------------
-- No CHECK on appointment_date >= CURRENT_DATE: that would stop staff from
-- completing yesterday's visit. "No booking in the past" is a service rule.
CREATE TABLE appointments (
    id                   SERIAL PRIMARY KEY,
    patient_id           INT NOT NULL REFERENCES users (id),
    doctor_id            INT NOT NULL REFERENCES users (id),
    appointment_date     DATE NOT NULL,
    appointment_time     TIME NOT NULL,
    type                 TEXT NOT NULL DEFAULT 'Consultation',
    reason               TEXT,
    status               TEXT NOT NULL DEFAULT 'scheduled',
    notes                TEXT,
    cancellation_reason  TEXT,
    pre_authorization    JSONB,
    pre_auth_date        TIMESTAMPTZ,
    claim                JSONB,
    claim_submitted_date TIMESTAMPTZ,
    duration_minutes     INT NOT NULL DEFAULT 30,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT appointments_status_check CHECK (
        status IN ('scheduled', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')
    ),
    CONSTRAINT appointments_duration_minutes_check CHECK (duration_minutes BETWEEN 5 AND 480),
    CONSTRAINT appointments_patient_not_doctor_check CHECK (patient_id <> doctor_id)
);

-- Double-booking rule: one live (not cancelled / no-show) appointment per
-- doctor and slot. Application code catches unique violations on this name.
CREATE UNIQUE INDEX appointments_doctor_slot_live_key
    ON appointments (doctor_id, appointment_date, appointment_time)
    WHERE status NOT IN ('cancelled', 'no_show');

CREATE INDEX appointments_doctor_date_idx
    ON appointments (doctor_id, appointment_date, appointment_time);
CREATE INDEX appointments_patient_date_idx
    ON appointments (patient_id, appointment_date, appointment_time);
CREATE INDEX appointments_status_idx
    ON appointments (status);

CREATE TRIGGER appointments_set_updated_at
    BEFORE UPDATE ON appointments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE appointments IS
    'Appointments between a patient user and a doctor user. A doctor holds at most one live '
    '(not cancelled / no_show) appointment per date and time (appointments_doctor_slot_live_key). '
    'pre_authorization and claim hold insurance payloads.';


-- -----------------------------------------------------------------------------
-- prescriptions: medication orders from a doctor for a patient
-- -----------------------------------------------------------------------------
CREATE TABLE prescriptions (
    id              SERIAL PRIMARY KEY,
    patient_id      INT NOT NULL REFERENCES users (id),
    doctor_id       INT NOT NULL REFERENCES users (id),
    appointment_id  INT REFERENCES appointments (id) ON DELETE SET NULL,
    medication      TEXT NOT NULL,
    dosage          TEXT NOT NULL,
    frequency       TEXT NOT NULL,
    duration        TEXT,
    quantity        INT,
    refills         INT NOT NULL DEFAULT 0,
    pharmacy        TEXT,
    pharmacy_id     TEXT,
    status          TEXT NOT NULL DEFAULT 'pending',
    instructions    TEXT,
    notes           TEXT,
    prescribed_date DATE NOT NULL DEFAULT CURRENT_DATE,
    expiration_date DATE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT prescriptions_medication_not_blank_check CHECK (btrim(medication) <> ''),
    CONSTRAINT prescriptions_dosage_not_blank_check     CHECK (btrim(dosage) <> ''),
    CONSTRAINT prescriptions_frequency_not_blank_check  CHECK (btrim(frequency) <> ''),
    CONSTRAINT prescriptions_quantity_check CHECK (quantity > 0),
    CONSTRAINT prescriptions_refills_check  CHECK (refills BETWEEN 0 AND 12),
    CONSTRAINT prescriptions_status_check CHECK (
        status IN ('pending', 'active', 'filled', 'dispensed', 'completed', 'cancelled')
    ),
    CONSTRAINT prescriptions_expiration_date_check
        CHECK (expiration_date IS NULL OR expiration_date >= prescribed_date)
);

CREATE INDEX prescriptions_patient_status_idx ON prescriptions (patient_id, status);
CREATE INDEX prescriptions_doctor_idx         ON prescriptions (doctor_id);

CREATE TRIGGER prescriptions_set_updated_at
    BEFORE UPDATE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE prescriptions IS
    'Prescriptions written by a doctor for a patient, optionally tied to an appointment. '
    'Lifecycle: pending, active, filled, dispensed, completed, cancelled.';


-- -----------------------------------------------------------------------------
-- messages: secure messages between portal users
-- -----------------------------------------------------------------------------
CREATE TABLE messages (
    id             SERIAL PRIMARY KEY,
    sender_id      INT NOT NULL REFERENCES users (id),
    recipient_id   INT NOT NULL REFERENCES users (id),
    appointment_id INT REFERENCES appointments (id) ON DELETE SET NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    is_read        BOOLEAN NOT NULL DEFAULT false,
    read_at        TIMESTAMPTZ,
    priority       TEXT NOT NULL DEFAULT 'normal',
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT messages_subject_not_blank_check CHECK (btrim(subject) <> ''),
    CONSTRAINT messages_body_not_blank_check    CHECK (btrim(body) <> ''),
    CONSTRAINT messages_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    CONSTRAINT messages_sender_not_recipient_check CHECK (sender_id <> recipient_id)
);

CREATE INDEX messages_recipient_inbox_idx ON messages (recipient_id, is_read, created_at DESC);
CREATE INDEX messages_sender_sent_idx     ON messages (sender_id, created_at DESC);

COMMENT ON TABLE messages IS
    'Secure messages between users (typically patient and doctor), optionally about an appointment.';


-- -----------------------------------------------------------------------------
-- medical_records: clinical documentation (notes, results, imaging, ...)
-- -----------------------------------------------------------------------------
CREATE TABLE medical_records (
    id              SERIAL PRIMARY KEY,
    patient_id      INT NOT NULL REFERENCES users (id),
    doctor_id       INT REFERENCES users (id),
    appointment_id  INT REFERENCES appointments (id) ON DELETE SET NULL,
    record_type     TEXT NOT NULL,
    chief_complaint TEXT,
    diagnosis       TEXT,
    treatment_plan  TEXT,
    notes           TEXT,
    attachments     JSONB NOT NULL DEFAULT '[]',
    record_date     TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT medical_records_record_type_check CHECK (
        record_type IN ('consultation', 'lab_result', 'imaging', 'procedure', 'diagnosis', 'note')
    )
);

CREATE INDEX medical_records_patient_date_idx ON medical_records (patient_id, record_date DESC);
CREATE INDEX medical_records_appointment_idx  ON medical_records (appointment_id);

CREATE TRIGGER medical_records_set_updated_at
    BEFORE UPDATE ON medical_records
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE medical_records IS
    'Clinical records of a patient (consultation notes, lab results, imaging, procedures, diagnoses, '
    'notes). attachments is a JSON array of {name, size, ...} objects.';


-- -----------------------------------------------------------------------------
-- sessions: server-side sign-in sessions (the cookie carries only sid)
-- -----------------------------------------------------------------------------
CREATE TABLE sessions (
    sid          TEXT PRIMARY KEY,
    user_id      INT REFERENCES users (id) ON DELETE CASCADE,
    data         JSONB NOT NULL DEFAULT '{}',
    ticket       BYTEA,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    ip_address   TEXT,
    user_agent   TEXT
);

CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_user_id_idx    ON sessions (user_id);

COMMENT ON TABLE sessions IS
    'Server-side sign-in sessions shared by all portal instances. Deleting a row revokes the session.';


-- -----------------------------------------------------------------------------
-- audit_log: append-only trail of sign-ins, chart views and writes
-- -----------------------------------------------------------------------------
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    user_id     INT REFERENCES users (id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    entity_type TEXT,
    entity_id   TEXT,
    old_values  JSONB,
    new_values  JSONB,
    ip_address  TEXT,
    user_agent  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_created_at_idx      ON audit_log (created_at DESC);
CREATE INDEX audit_log_user_created_at_idx ON audit_log (user_id, created_at DESC);
CREATE INDEX audit_log_entity_idx          ON audit_log (entity_type, entity_id);

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

COMMENT ON TABLE audit_log IS
    'Append-only audit trail (sign-ins, failed sign-ins, chart views, every write). '
    'UPDATE, DELETE and TRUNCATE are rejected by triggers.';


-- -----------------------------------------------------------------------------
-- notifications: outgoing and in-app notifications for a user
-- -----------------------------------------------------------------------------
CREATE TABLE notifications (
    id            SERIAL PRIMARY KEY,
    user_id       INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type          TEXT NOT NULL DEFAULT 'in_app',
    title         TEXT NOT NULL,
    message       TEXT NOT NULL,
    data          JSONB,
    status        TEXT NOT NULL DEFAULT 'pending',
    sent_at       TIMESTAMPTZ,
    read_at       TIMESTAMPTZ,
    error_message TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT notifications_type_check   CHECK (type IN ('email', 'sms', 'push', 'in_app')),
    CONSTRAINT notifications_status_check CHECK (
        status IN ('pending', 'sent', 'delivered', 'failed', 'read')
    ),
    CONSTRAINT notifications_title_not_blank_check   CHECK (btrim(title) <> ''),
    CONSTRAINT notifications_message_not_blank_check CHECK (btrim(message) <> '')
);

CREATE INDEX notifications_user_status_idx ON notifications (user_id, status, created_at DESC);

COMMENT ON TABLE notifications IS
    'Notifications for a user over email, SMS, push or in-app, with delivery status.';


-- -----------------------------------------------------------------------------
-- Views (no ORDER BY: callers order)
-- -----------------------------------------------------------------------------

-- Active patient users joined with their patient profile.
CREATE VIEW patient_summary AS
SELECT
    p.id                                            AS patient_id,
    u.id                                            AS user_id,
    u.email,
    u.name,
    u.phone,
    p.date_of_birth,
    date_part('year', age(p.date_of_birth))::int    AS age,
    p.gender,
    p.blood_type,
    p.allergies,
    p.conditions,
    p.emergency_contact_name,
    p.emergency_contact_phone,
    p.insurance_provider,
    p.insurance_member_id,
    p.last_eligibility_check,
    p.address,
    p.city,
    p.state,
    p.zip_code,
    p.country,
    p.created_at
FROM patients p
JOIN users u ON u.id = p.user_id
WHERE u.is_active
  AND u.role = 'patient';

COMMENT ON VIEW patient_summary IS
    'Active patient users with their patient profile and computed age in years.';

-- Appointments from today on that are still to happen (not cancelled or completed).
CREATE VIEW upcoming_appointments AS
SELECT
    a.id,
    a.patient_id,
    pu.name           AS patient_name,
    pu.email          AS patient_email,
    a.doctor_id,
    du.name           AS doctor_name,
    du.specialization AS doctor_specialization,
    a.appointment_date,
    a.appointment_time,
    a.duration_minutes,
    a.type,
    a.reason,
    a.status,
    a.notes,
    a.created_at,
    a.updated_at
FROM appointments a
JOIN users pu ON pu.id = a.patient_id
JOIN users du ON du.id = a.doctor_id
WHERE a.appointment_date >= CURRENT_DATE
  AND a.status NOT IN ('cancelled', 'completed');

COMMENT ON VIEW upcoming_appointments IS
    'Appointments dated today or later, not cancelled or completed, with patient and doctor names and ids.';

-- Prescriptions currently in effect (active or filled).
CREATE VIEW active_prescriptions AS
SELECT
    rx.id,
    rx.patient_id,
    pu.name AS patient_name,
    rx.doctor_id,
    du.name AS doctor_name,
    rx.appointment_id,
    rx.medication,
    rx.dosage,
    rx.frequency,
    rx.duration,
    rx.quantity,
    rx.refills,
    rx.pharmacy,
    rx.status,
    rx.instructions,
    rx.prescribed_date,
    rx.expiration_date,
    rx.created_at,
    rx.updated_at
FROM prescriptions rx
JOIN users pu ON pu.id = rx.patient_id
JOIN users du ON du.id = rx.doctor_id
WHERE rx.status IN ('active', 'filled');

COMMENT ON VIEW active_prescriptions IS
    'Prescriptions with status active or filled, with patient and doctor names and ids.';
