-- =============================================================================
-- 022_prescription_cancellation_reason_on_insert.sql
-- Demo data is skipped outside Development unless SEED_DEMO_DATA=true, and can
-- be applied later, after newer migrations. 002_seed_demo_data.sql predates
-- 004 and inserts cancelled prescriptions without a cancellation_reason; 004
-- gave such existing rows the note (or 'Cancelled') as their reason. Rows
-- inserted without a reason get the same, so 002 applies on today's schema with
-- the same result as in order. The portal always writes a reason itself, and a
-- cancelling UPDATE without one is still refused by the check.
-- =============================================================================

CREATE FUNCTION prescriptions_default_cancellation_reason() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status = 'cancelled' AND btrim(coalesce(NEW.cancellation_reason, '')) = '' THEN
        NEW.cancellation_reason := coalesce(nullif(btrim(NEW.notes), ''), 'Cancelled');
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER prescriptions_default_cancellation_reason
    BEFORE INSERT ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_default_cancellation_reason();

COMMENT ON FUNCTION prescriptions_default_cancellation_reason() IS
    'Gives a cancelled prescription inserted without a reason the reason 004 gave existing rows (the demo data applied late).';
