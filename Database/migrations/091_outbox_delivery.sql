-- =============================================================================
-- 091_outbox_delivery.sql
-- The outbox's email and SMS rows are not the bell's business: the live-update
-- trigger of notifications (040) fired on every insert and on every claim,
-- retry and send of an outgoing row, waking every open page of the recipient
-- for nothing. Only in-app rows publish now.
-- A critical-reading notice is rate-limited per doctor and patient: the index
-- finds the last one sent or queued quickly.
-- =============================================================================

DROP TRIGGER notifications_live_publish ON notifications;

CREATE TRIGGER notifications_live_publish
    AFTER INSERT OR UPDATE ON notifications
    FOR EACH ROW WHEN (NEW.type = 'in_app') EXECUTE FUNCTION live_publish();

CREATE TRIGGER notifications_live_publish_delete
    AFTER DELETE ON notifications
    FOR EACH ROW WHEN (OLD.type = 'in_app') EXECUTE FUNCTION live_publish();

CREATE INDEX notifications_critical_reading_idx
    ON notifications (user_id, ((data ->> 'patientUserId')), created_at DESC)
    WHERE kind = 'critical_reading' AND type IN ('email', 'sms');
