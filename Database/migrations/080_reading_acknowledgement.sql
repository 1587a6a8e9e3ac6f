-- =============================================================================
-- 080_reading_acknowledgement.sql
-- A doctor acknowledges a patient's critical vital-sign reading: who and when,
-- once per reading. The flag on the doctor's lists and the chart header then
-- names who acknowledged it instead of raising the alarm. The portal checks the
-- care team and audits the write; the database keeps the rules that must hold
-- whatever writes the row: one acknowledgement per reading, by a doctor.
-- =============================================================================

CREATE TABLE vital_sign_acknowledgements (
    vital_sign_id   INT PRIMARY KEY REFERENCES vital_signs (id) ON DELETE CASCADE,
    acknowledged_by INT NOT NULL REFERENCES users (id),
    acknowledged_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

COMMENT ON TABLE vital_sign_acknowledgements IS
    'A critical vital-sign reading a doctor has seen and acknowledged (one row per reading).';

CREATE FUNCTION vital_sign_acknowledgement_check() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.acknowledged_by AND role = 'doctor') THEN
        RAISE EXCEPTION 'Only a doctor can acknowledge a vital-sign reading (user %).', NEW.acknowledged_by
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vital_sign_acknowledgements_by_doctor';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER vital_sign_acknowledgements_by_doctor
    BEFORE INSERT OR UPDATE ON vital_sign_acknowledgements
    FOR EACH ROW EXECUTE FUNCTION vital_sign_acknowledgement_check();

-- Live updates (040_live_updates.sql): an acknowledgement changes the reading's flag on every open
-- page that shows it. Ids only: the reading, its patient (users.id) and the acknowledging doctor.
CREATE FUNCTION vital_sign_acknowledgement_publish() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    PERFORM pg_notify('mediconnect_live', jsonb_build_object(
        'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'id', r.vital_sign_id,
        'patientId', (SELECT p.user_id FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE v.id = r.vital_sign_id),
        'doctorId', r.acknowledged_by)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER vital_sign_acknowledgements_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON vital_sign_acknowledgements
    FOR EACH ROW EXECUTE FUNCTION vital_sign_acknowledgement_publish();
