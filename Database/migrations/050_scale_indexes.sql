-- =============================================================================
-- 050_scale_indexes.sql
-- Indexes the pages need at clinic-chain scale (1M appointments, 2M audit
-- rows, 100k users), found by ./bench.sh (README, "Benchmarks"): each page
-- reads one doctor's or one patient's rows from an index, whatever the size
-- of the clinic.
-- =============================================================================

-- A doctor's book: the list, its counts, today's counts and "my patients" read
-- the status and the patient from the index itself (index-only), not from a
-- million-row table. Replaces appointments_doctor_date_idx (same key).
CREATE INDEX appointments_doctor_book_idx
    ON appointments (doctor_id, appointment_date, appointment_time) INCLUDE (patient_id, status);
DROP INDEX appointments_doctor_date_idx;

-- An index on a column of six values: at scale it lured the planner into
-- reading 650,000 'completed' entries to intersect them with one doctor's
-- 5,000 appointments. Every query by status also names a doctor or a patient.
DROP INDEX appointments_status_idx;

-- The admin home counts today's appointments across every doctor from this
-- index alone. Status is carried, not a key, so it cannot lure the planner either.
CREATE INDEX appointments_date_idx ON appointments (appointment_date) INCLUDE (status);

-- A doctor's patients by prescription ("my patients", the care team) from the
-- index alone. Replaces prescriptions_doctor_idx (same first column).
CREATE INDEX prescriptions_doctor_patient_idx ON prescriptions (doctor_id, patient_id);
DROP INDEX prescriptions_doctor_idx;

-- "Contains" searches on a user's name or email (admin users list, the audit
-- log's user filter) use trigram indexes instead of reading every user.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the
-- database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_name_trgm_idx  ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);

-- The audit log filtered by action, newest first; also lets the filter list
-- of actions hop through the distinct values instead of reading every row.
CREATE INDEX audit_log_action_created_at_idx ON audit_log (action, created_at DESC);
