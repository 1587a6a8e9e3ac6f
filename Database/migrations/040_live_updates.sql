-- =============================================================================
-- 040_live_updates.sql
-- Live updates (README "Live updates"): a change to any row an open page shows
-- publishes a small event on the channel mediconnect_live, from a trigger, inside
-- the writing transaction. PostgreSQL delivers a NOTIFY only when its transaction
-- commits, so a rolled-back write publishes nothing and a committed write always
-- publishes. Every write path (the portal's services, the CLI, an operator's SQL)
-- publishes the same way, and no service has to remember to.
-- Payloads carry ids only, never clinical text: which row changed and whose it is
-- (users.id of the patient, doctor, owner, sender and recipient), so each portal
-- instance can decide per open page, with the services' access rules, who is told.
-- =============================================================================

CREATE FUNCTION live_publish() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    r     RECORD;
    event jsonb := jsonb_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP));
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;

    -- Each branch names only columns its table has (PL/pgSQL plans a statement when it first runs it).
    IF TG_TABLE_NAME IN ('appointments', 'prescriptions', 'medical_records') THEN
        event := event || jsonb_build_object('id', r.id, 'patientId', r.patient_id, 'doctorId', r.doctor_id);
    ELSIF TG_TABLE_NAME = 'vital_signs' THEN
        -- vital_signs.patient_id is patients.id; events name people by users.id.
        event := event || jsonb_build_object('id', r.id, 'patientId', (SELECT user_id FROM patients WHERE id = r.patient_id));
    ELSIF TG_TABLE_NAME = 'messages' THEN
        event := event || jsonb_build_object('id', r.id, 'senderId', r.sender_id, 'recipientId', r.recipient_id);
    ELSIF TG_TABLE_NAME = 'notifications' THEN
        event := event || jsonb_build_object('id', r.id, 'userId', r.user_id);
    ELSIF TG_TABLE_NAME = 'sessions' THEN
        event := event || jsonb_build_object('userId', r.user_id);
    ELSIF TG_TABLE_NAME = 'users' THEN
        event := event || jsonb_build_object('id', r.id, 'userId', r.id);
    END IF;

    PERFORM pg_notify('mediconnect_live', event::text);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION live_publish() IS
    'AFTER row trigger: publishes {table, op, ids} on channel mediconnect_live, delivered at commit. Ids only, never clinical text.';

CREATE TRIGGER appointments_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER prescriptions_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER medical_records_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON medical_records
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER vital_signs_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON vital_signs
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER messages_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER notifications_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON notifications
    FOR EACH ROW EXECUTE FUNCTION live_publish();

-- A session starting or ending (sign-in, sign-out, revocation, deactivation, expiry clean-up);
-- not the activity updates every request makes.
CREATE TRIGGER sessions_live_publish
    AFTER INSERT OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION live_publish();

CREATE TRIGGER users_live_publish
    AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION live_publish();
