-- =============================================================================
-- 092_notification_delivery_page.sql
-- What the admin's delivery page and /health read of the outbox: when a row
-- last changed (a failure's time: "failed in the last 24 h"), and one page of
-- outgoing notices by status, newest first, by keyset on id.
-- =============================================================================

-- The shared trigger keeps it, whoever writes the row (the workers, retry, cancel).
ALTER TABLE notifications ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
DROP TRIGGER IF EXISTS notifications_set_updated_at ON notifications;
CREATE TRIGGER notifications_set_updated_at
    BEFORE UPDATE ON notifications
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON COLUMN notifications.updated_at IS 'When the row last changed: for a failed notice, when it failed.';

-- The delivery page: outgoing notices of one status (or all), newest first.
CREATE INDEX notifications_outgoing_page_idx
    ON notifications (status, id DESC)
    WHERE type IN ('email', 'sms');

-- /health: failed outgoing notices of the last 24 hours.
CREATE INDEX notifications_outgoing_failed_idx
    ON notifications (updated_at)
    WHERE status = 'failed' AND type IN ('email', 'sms');
