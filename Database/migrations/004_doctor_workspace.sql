-- =============================================================================
-- 004_doctor_workspace.sql
-- Doctor workspace: a cancelled prescription says why. Existing cancelled
-- prescriptions take their note (or a generic reason) as the reason.
-- =============================================================================

ALTER TABLE prescriptions ADD COLUMN cancellation_reason TEXT;

UPDATE prescriptions
SET cancellation_reason = coalesce(nullif(btrim(notes), ''), 'Cancelled')
WHERE status = 'cancelled';

ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_cancellation_reason_check
    CHECK (status <> 'cancelled' OR btrim(coalesce(cancellation_reason, '')) <> '');

COMMENT ON COLUMN prescriptions.cancellation_reason IS
    'Why the prescription was cancelled; required when status is cancelled.';
