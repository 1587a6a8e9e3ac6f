-- =============================================================================
-- 070_break_glass_reason_readable.sql
-- A break-glass reason must be readable by the patient's doctors and the
-- reviewer: no control character besides line breaks and tabs, no character
-- that reorders text on screen, and at least 20 characters left once spaces,
-- punctuation and invisible characters are taken out. The portal checks the
-- same with a clear message (EmergencyAccess.ReasonError, letters and digits);
-- this is the backstop, never stricter than the portal.
-- NOT VALID: grants written before stay as they are; every new one is checked.
-- =============================================================================

ALTER TABLE break_glass_grants
    ADD CONSTRAINT break_glass_grants_reason_readable_check CHECK (
        reason !~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]'
        AND char_length(regexp_replace(reason, '[[:space:][:punct:][:cntrl:]\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]', '', 'g')) >= 20
    ) NOT VALID;
