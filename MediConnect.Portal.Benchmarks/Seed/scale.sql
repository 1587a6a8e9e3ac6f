-- =============================================================================
-- The clinic-chain data set of the benchmarks: ./bench.sh seed --scale S runs
--   psql -v scale=S -f scale.sql
-- on a freshly migrated database (demo data included). Scale 1 is a chain after
-- about a year: 200 doctors, 100,000 patients, 1M appointments, 5M vital
-- readings, 300k prescriptions, 200k messages, 200k records, 100k
-- notifications and 2M audit rows. Scale 0.01 is the same shape at a hundredth.
--
-- What every doctor and patient holds is the same at every scale (a doctor:
-- 500 patients, 5,000 appointments; a patient: 10 appointments, ~50 readings,
-- 3 prescriptions, 20 audit rows): only the number of doctors grows. So a page
-- that reads one doctor's or one patient's rows should cost the same at every
-- scale, and anything that grows is reading other people's rows.
--
-- Plain INSERT ... SELECT generate_series: every constraint, index and trigger
-- of the schema applies. Deterministic (hashes, no random()), dated relative
-- to today like the demo data. Ids are contiguous per kind, recorded in
-- bench.shape, so pgbench scripts and the harness pick valid ids by arithmetic:
--   patient k (0 <= k < patients): users.id = first_patient_user + k,
--   patients.id = first_patient + k, home doctor users.id = first_doctor + k % doctors.
--   Every 50th patient (k % 50 = 0) syncs a device: four readings a day.
-- =============================================================================
\set ON_ERROR_STOP on
\timing off

BEGIN;

-- Deterministic pseudo-random numbers and the name pools.
CREATE FUNCTION pg_temp.h(a bigint, b bigint DEFAULT 0) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashint8(a * 1000003 + b) % 1000000)::int $$;

CREATE FUNCTION pg_temp.pick(pool text[], i bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT pool[1 + (i % cardinality(pool))::int] $$;

CREATE TEMP TABLE pools AS SELECT
    ARRAY['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth',
          'William','Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Carlos','Karen',
          'Daniel','Lisa','Matthew','Nancy','Anthony','Betty','Mark','Sandra','Wei','Ashley',
          'Ahmed','Kimberly','Raj','Emily','Kwame','Donna','Ivan','Michelle','Hiroshi','Amara'] AS first_names,
    ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
          'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
          'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson',
          'Walker','Young','Allen','King','Wright','Scott','Torres','Nguyen','Hill','Flores',
          'Green','Adams','Nelson','Baker','Hall','Rivera','Campbell','Mitchell','Carter','Okafor'] AS last_names,
    ARRAY['Cardiology','Family Medicine','Pediatrics','Endocrinology','Dermatology','Neurology',
          'Orthopedics','Internal Medicine','Pulmonology','Gastroenterology'] AS specializations,
    ARRAY['Consultation','Follow-up','Check-up','Lab Review','Telehealth'] AS visit_types,
    ARRAY['Annual physical','Blood pressure review','Persistent cough','Medication review','Knee pain',
          'Headaches','Diabetes follow-up','Skin rash','Chest discomfort','Fatigue'] AS reasons,
    ARRAY['Lisinopril','Metformin','Atorvastatin','Amlodipine','Levothyroxine','Omeprazole',
          'Albuterol','Sertraline','Amoxicillin','Ibuprofen'] AS medications;

-- -----------------------------------------------------------------------------
-- The shape, kept for the benchmark harness and pgbench scripts.
-- -----------------------------------------------------------------------------
CREATE SCHEMA bench;
CREATE TABLE bench.shape (
    scale              NUMERIC NOT NULL,
    doctors            INT NOT NULL,
    patients           INT NOT NULL,
    first_doctor       INT,
    first_patient_user INT,
    first_patient      INT,
    seeded_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO bench.shape (scale, doctors, patients)
SELECT :scale, greatest(1, round(200 * :scale))::int, 500 * greatest(1, round(200 * :scale))::int;

-- Working days relative to today, as in the demo data: n = 0 today, n > 0 the next
-- weekdays, n < 0 the previous ones (400 back, about 19 months; 99 ahead, about 20 weeks).
CREATE TEMP TABLE bench_day (n INT PRIMARY KEY, day DATE NOT NULL UNIQUE);
INSERT INTO bench_day (n, day)
SELECT 0, CURRENT_DATE
UNION ALL
SELECT row_number() OVER (ORDER BY g.d), g.d::date
FROM generate_series(CURRENT_DATE + 1, CURRENT_DATE + 160, interval '1 day') AS g(d)
WHERE extract(isodow FROM g.d) < 6
UNION ALL
SELECT -row_number() OVER (ORDER BY g.d DESC), g.d::date
FROM generate_series(CURRENT_DATE - 600, CURRENT_DATE - 1, interval '1 day') AS g(d)
WHERE extract(isodow FROM g.d) < 6;

-- -----------------------------------------------------------------------------
-- Users: doctors, then patients, each kind in one statement so ids are contiguous.
-- Passwords are the demo ones (Demo2024!Doctor, Demo2024!Patient).
-- -----------------------------------------------------------------------------
INSERT INTO users (email, password, role, name, specialization, phone, last_login, created_at, updated_at)
SELECT format('doctor%s@clinic-chain.example', d),
       (SELECT password FROM users WHERE email = 'dr.smith@mediconnect.demo'),
       'doctor',
       'Dr. ' || pg_temp.pick(p.first_names, pg_temp.h(d, 1)) || ' ' || pg_temp.pick(p.last_names, pg_temp.h(d, 2)),
       pg_temp.pick(p.specializations, d),
       format('+1-555-%s', lpad((2000 + d)::text, 4, '0')),
       now() - make_interval(hours => pg_temp.h(d, 3) % 72),
       now() - interval '2 years', now() - interval '2 years'
FROM bench.shape s, pools p, generate_series(0, s.doctors - 1) AS d
ORDER BY d;

UPDATE bench.shape SET first_doctor = (SELECT min(id) FROM users WHERE email LIKE 'doctor%@clinic-chain.example');

INSERT INTO users (email, password, role, name, phone, is_active, last_login, created_at, updated_at)
SELECT lower(format('%s.%s.%s@patients.example', pg_temp.pick(p.first_names, k), pg_temp.pick(p.last_names, k / 40), k)),
       (SELECT password FROM users WHERE email = 'john.doe@mediconnect.demo'),
       'patient',
       pg_temp.pick(p.first_names, k) || ' ' || pg_temp.pick(p.last_names, k / 40),
       format('+1-555-%s', lpad((k % 10000)::text, 4, '0')),
       true,
       CASE WHEN k % 3 = 0 THEN NULL ELSE now() - make_interval(days => pg_temp.h(k, 4) % 120) END,
       now() - make_interval(days => 400 + pg_temp.h(k, 5) % 300), now() - make_interval(days => 400 + pg_temp.h(k, 5) % 300)
FROM bench.shape s, pools p, generate_series(0, s.patients - 1) AS k
ORDER BY k;

UPDATE bench.shape SET first_patient_user = (SELECT min(id) FROM users WHERE email LIKE '%@patients.example');

INSERT INTO patients (user_id, date_of_birth, gender, blood_type, allergies, conditions,
                      emergency_contact_name, emergency_contact_phone, insurance_provider, insurance_member_id,
                      last_eligibility_check, address, city, state, zip_code, country, created_at, updated_at)
SELECT s.first_patient_user + k,
       DATE '1935-01-01' + pg_temp.h(k, 6) % 30000,
       CASE WHEN k % 2 = 0 THEN 'Female' ELSE 'Male' END,
       (ARRAY['O+','A+','B+','AB+','O-','A-','B-','AB-'])[1 + pg_temp.h(k, 7) % 8],
       CASE pg_temp.h(k, 8) % 10 WHEN 0 THEN 'Penicillin' WHEN 1 THEN 'Sulfa drugs' WHEN 2 THEN 'Latex' END,
       CASE pg_temp.h(k, 9) % 6 WHEN 0 THEN 'Hypertension' WHEN 1 THEN 'Type 2 Diabetes' WHEN 2 THEN 'Asthma' END,
       'Emergency Contact ' || k, '+1-555-0199',
       (ARRAY['Aetna','Cigna','Humana','Medicare','Blue Cross Blue Shield'])[1 + k % 5], 'MBR-' || (100000000 + k),
       now() - make_interval(days => pg_temp.h(k, 10) % 90),
       (k % 999 + 1) || ' Main Street', 'Springfield', 'IL', lpad((60000 + k % 1000)::text, 5, '0'), 'USA',
       now() - interval '400 days', now() - interval '400 days'
FROM bench.shape s, generate_series(0, s.patients - 1) AS k
ORDER BY k;

UPDATE bench.shape SET first_patient = (SELECT id FROM patients WHERE user_id = (SELECT first_patient_user FROM bench.shape));

-- The arithmetic above relies on contiguous ids: stop here if they are not.
DO $$
DECLARE s bench.shape;
BEGIN
    SELECT * INTO s FROM bench.shape;
    IF (SELECT max(id) - min(id) + 1 FROM users WHERE email LIKE 'doctor%@clinic-chain.example') <> s.doctors
       OR (SELECT max(id) - min(id) + 1 FROM users WHERE email LIKE '%@patients.example') <> s.patients
       OR (SELECT max(id) - min(id) + 1 FROM patients WHERE user_id >= s.first_patient_user) <> s.patients THEN
        RAISE EXCEPTION 'ids are not contiguous; seed into a freshly migrated database';
    END IF;
END $$;

-- -----------------------------------------------------------------------------
-- Appointments: 5,000 per doctor, ten a working day in distinct half-hour slots
-- between 09:00 and 17:00 (no double booking), 400 working days back and 99
-- ahead. Each of the doctor's 500 patients has ten of them. Past visits are
-- completed, cancelled or no-shows; today's run through the day; future ones
-- are scheduled or confirmed, a few cancelled.
-- -----------------------------------------------------------------------------
INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, type, reason, status,
                          notes, cancellation_reason, duration_minutes, created_at, updated_at)
SELECT a.patient_id, a.doctor_id, a.day, a.slot, a.type, a.reason, a.status,
       CASE WHEN a.status = 'completed' THEN 'Seen; plan discussed with the patient.' END,
       CASE WHEN a.status = 'cancelled' THEN (ARRAY['Patient request','Doctor unavailable','Rescheduled by phone'])[1 + a.h % 3] END,
       30, a.day - 21, CASE WHEN a.n < 0 THEN a.day + time '18:00' ELSE a.day - 21 END
FROM (
    SELECT s.first_patient_user + d + s.doctors * ((i * 7919) % 500) AS patient_id,
           s.first_doctor + d AS doctor_id,
           bd.n, bd.day,
           time '09:00' + make_interval(mins => 30 * ((i % 10) * 16 / 10)) AS slot,
           pg_temp.pick(p.visit_types, pg_temp.h(d, i)) AS type,
           pg_temp.pick(p.reasons, pg_temp.h(i, d)) AS reason,
           pg_temp.h(d * 5000 + i, 11) % 100 AS h,
           CASE
               WHEN bd.n < 0 THEN CASE WHEN pg_temp.h(d * 5000 + i, 11) % 100 < 82 THEN 'completed'
                                       WHEN pg_temp.h(d * 5000 + i, 11) % 100 < 92 THEN 'cancelled'
                                       ELSE 'no_show' END
               WHEN bd.n = 0 THEN CASE WHEN i % 10 < 3 THEN 'completed' WHEN i % 10 = 3 THEN 'in_progress'
                                       WHEN i % 10 < 8 THEN 'confirmed' ELSE 'scheduled' END
               ELSE CASE WHEN pg_temp.h(d * 5000 + i, 11) % 100 < 5 THEN 'cancelled'
                         WHEN pg_temp.h(d * 5000 + i, 11) % 100 < 45 THEN 'confirmed'
                         ELSE 'scheduled' END
           END AS status
    FROM bench.shape s, pools p, generate_series(0, s.doctors - 1) AS d, generate_series(0, 4999) AS i
    JOIN bench_day bd ON bd.n = i / 10 - 400
) AS a
ORDER BY a.day, a.doctor_id, a.slot;

-- -----------------------------------------------------------------------------
-- Vital signs: every 50th patient syncs a watch (four readings a day for a year:
-- heart rate, SpO2, respiratory rate); the others enter about 21 readings a year
-- by hand or from a blood-pressure monitor. About 50 per patient on average.
-- -----------------------------------------------------------------------------
INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, temperature, oxygen_saturation, respiratory_rate,
                         weight, height, glucose_level, recorded_at, recorded_by, device_source, created_at)
SELECT s.first_patient + k,
       (CASE WHEN device THEN 58 ELSE 56 END) + pg_temp.h(k, r) % 48,
       CASE WHEN NOT device THEN (104 + pg_temp.h(k, r + 1) % 48) || '/' || (64 + pg_temp.h(k, r + 2) % 30) END,
       CASE WHEN NOT device AND r % 2 = 0 THEN 36.1 + (pg_temp.h(k, r + 3) % 16) / 10.0 END,
       92 + pg_temp.h(k, r + 4) % 9,
       CASE WHEN device OR r % 3 = 0 THEN 12 + pg_temp.h(k, r + 5) % 9 END,
       CASE WHEN NOT device AND r % 4 = 0 THEN 50 + k % 60 + (r % 3) * 0.5 END,
       CASE WHEN NOT device AND r = 0 THEN 150 + k % 45 END,
       CASE WHEN NOT device AND r % 3 = 1 THEN 80 + pg_temp.h(k, r + 6) % 90 END,
       at, s.first_patient_user + k,
       CASE WHEN device THEN 'Apple Health' WHEN r % 2 = 0 THEN 'Manual Entry' ELSE 'Omron BP Monitor' END,
       at
FROM bench.shape s,
     generate_series(0, s.patients - 1) AS k,
     LATERAL (SELECT k % 50 = 0 AS device) AS kind,
     LATERAL generate_series(0, CASE WHEN device THEN 1459 ELSE 20 END) AS r,
     LATERAL (SELECT now() - interval '10 minutes' - make_interval(mins => k % 600)
                     - CASE WHEN device THEN make_interval(hours => 6 * r) ELSE make_interval(days => 17 * r) END AS at) AS t
ORDER BY at;

-- -----------------------------------------------------------------------------
-- Prescriptions (3 per patient, by the home doctor), messages (2: one each way),
-- medical records (2) and notifications (1).
-- -----------------------------------------------------------------------------
INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, duration, quantity, refills, pharmacy,
                           status, instructions, prescribed_date, expiration_date, cancellation_reason, created_at, updated_at)
SELECT s.first_patient_user + k, s.first_doctor + k % s.doctors,
       pg_temp.pick(p.medications, pg_temp.h(k, r + 20)), (5 * (1 + r)) || ' mg', 'Once daily', '90 days', 90, r,
       'Springfield Pharmacy', st.status, 'Take with water.', day, day + 180,
       CASE WHEN st.status = 'cancelled' THEN 'Replaced by another medication' END,
       day, day
FROM bench.shape s, pools p, generate_series(0, s.patients - 1) AS k, generate_series(0, 2) AS r,
     LATERAL (SELECT CURRENT_DATE - pg_temp.h(k, r + 21) % 360 AS day) AS d,
     LATERAL (SELECT CASE r WHEN 0 THEN 'active'
                            WHEN 1 THEN (ARRAY['completed','cancelled'])[1 + pg_temp.h(k, 22) % 2]
                            ELSE (ARRAY['pending','active','filled','dispensed','completed'])[1 + pg_temp.h(k, 23) % 5] END AS status) AS st
ORDER BY day;

INSERT INTO messages (sender_id, recipient_id, subject, body, is_read, read_at, priority, created_at)
SELECT CASE WHEN r = 0 THEN patient ELSE doctor END, CASE WHEN r = 0 THEN doctor ELSE patient END,
       CASE WHEN r = 0 THEN 'Question about my medication' ELSE 'Your results' END,
       'Message ' || r || ' of patient ' || k || '.',
       at < now() - interval '2 days', CASE WHEN at < now() - interval '2 days' THEN at + interval '1 day' END,
       (ARRAY['normal','normal','low','high','urgent'])[1 + pg_temp.h(k, r + 30) % 5], at
FROM bench.shape s, generate_series(0, s.patients - 1) AS k, generate_series(0, 1) AS r,
     LATERAL (SELECT s.first_patient_user + k AS patient, s.first_doctor + k % s.doctors AS doctor,
                     now() - make_interval(mins => pg_temp.h(k, r + 31) % 525600) AS at) AS m
ORDER BY at;

INSERT INTO medical_records (patient_id, doctor_id, record_type, chief_complaint, diagnosis, treatment_plan, notes, record_date, created_at, updated_at)
SELECT s.first_patient_user + k, s.first_doctor + k % s.doctors,
       (ARRAY['consultation','lab_result','imaging','procedure','diagnosis','note'])[1 + pg_temp.h(k, r + 40) % 6],
       pg_temp.pick(p.reasons, pg_temp.h(k, r + 41)), 'Stable', 'Continue current plan', 'Recorded at the visit.', at, at, at
FROM bench.shape s, pools p, generate_series(0, s.patients - 1) AS k, generate_series(0, 1) AS r,
     LATERAL (SELECT now() - make_interval(days => pg_temp.h(k, r + 42) % 365) AS at) AS t
ORDER BY at;

INSERT INTO notifications (user_id, type, title, message, status, sent_at, read_at, created_at)
SELECT s.first_patient_user + k, 'in_app', 'Appointment reminder', 'You have an appointment soon.',
       CASE WHEN k % 4 = 0 THEN 'delivered' ELSE 'read' END, at, CASE WHEN k % 4 <> 0 THEN at + interval '1 hour' END, at
FROM bench.shape s, generate_series(0, s.patients - 1) AS k,
     LATERAL (SELECT now() - make_interval(days => pg_temp.h(k, 50) % 30) AS at) AS t;

-- -----------------------------------------------------------------------------
-- Audit log: 20 rows per patient over the last year: 8 by the patient (sign-ins,
-- readings), 12 by the home doctor (chart views, status changes). A doctor has
-- about 6,000 rows at every scale.
-- -----------------------------------------------------------------------------
INSERT INTO audit_log (user_id, action, entity_type, entity_id, new_values, ip_address, user_agent, created_at)
SELECT CASE WHEN r < 8 THEN patient ELSE doctor END,
       CASE WHEN r < 6 THEN 'sign_in' WHEN r < 8 THEN 'vital_signs_create' WHEN r < 14 THEN 'chart_view' ELSE 'appointment_status_change' END,
       CASE WHEN r < 6 THEN 'user' WHEN r < 8 THEN 'vital_signs' WHEN r < 14 THEN 'patient' ELSE 'appointment' END,
       CASE WHEN r < 6 THEN patient::text WHEN r < 8 THEN (k * 50 + r)::text WHEN r < 14 THEN patient::text ELSE (k * 10 + r)::text END,
       CASE WHEN r >= 14 THEN '{"status": "completed"}'::jsonb END,
       format('10.%s.%s.%s', k % 200, (k / 200) % 250, 1 + r),
       'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0',
       now() - make_interval(secs => pg_temp.h(k, r + 60) * 31.5)
FROM bench.shape s, generate_series(0, s.patients - 1) AS k, generate_series(0, 19) AS r,
     LATERAL (SELECT s.first_patient_user + k AS patient, s.first_doctor + k % s.doctors AS doctor) AS who
ORDER BY 8;

COMMIT;

-- A year-old database has been vacuumed and analysed (visibility map set, statistics current).
VACUUM (ANALYZE);

SELECT s.scale, s.doctors, s.patients,
       (SELECT count(*) FROM appointments) AS appointments,
       (SELECT count(*) FROM vital_signs) AS vital_signs,
       (SELECT count(*) FROM prescriptions) AS prescriptions,
       (SELECT count(*) FROM messages) AS messages,
       (SELECT count(*) FROM medical_records) AS medical_records,
       (SELECT count(*) FROM audit_log) AS audit_rows,
       pg_size_pretty(pg_database_size(current_database())) AS size
FROM bench.shape s;
