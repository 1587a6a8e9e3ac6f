-- =============================================================================
-- 052_vitals_timeline_index.sql
-- A patient's readings arrive one at a time over months, between everyone
-- else's, so at clinic-chain scale (5M readings) each of a patient's readings
-- sits on its own table page: a year of a watch's readings (1,460) read 1,460
-- pages. This index carries the measures (not the notes), so a year's trend is
-- read from about twenty index pages, and the newest readings come in index
-- order (id breaks ties, as the pages sort) without a sort.
-- Replaces vital_signs_patient_recorded_idx (same first columns). Building it
-- takes seconds per million readings, during which new readings wait.
-- =============================================================================

CREATE INDEX vital_signs_patient_timeline_idx
    ON vital_signs (patient_id, recorded_at DESC, id DESC)
    INCLUDE (heart_rate, blood_pressure, temperature, oxygen_saturation, respiratory_rate, weight, height, glucose_level);
DROP INDEX vital_signs_patient_recorded_idx;
