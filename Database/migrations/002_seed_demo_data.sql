-- =============================================================================
-- 002_seed_demo_data.sql
-- MediConnect Portal: demo data (users, patient profiles, vitals, appointments,
-- prescriptions, messages, medical records, notifications).
--
-- Demo accounts (all emails @mediconnect.demo):
--   admin@...      Demo2024!Admin
--   dr.smith@...   Demo2024!Doctor   (also dr.patel, dr.garcia, dr.chen, dr.okafor)
--   john.doe@...   Demo2024!Patient  (and 10 more patients, linda.martinez inactive)
--
-- All appointment, vital-sign, message and notification times are relative to
-- the moment this migration runs (CURRENT_DATE / now()), so the demo always
-- has a past, a today and a future. No random(): the data is deterministic.
-- Nothing is written to audit_log or sessions.
-- =============================================================================


-- -----------------------------------------------------------------------------
-- Helper: clinic days relative to today (dropped again at the end of the file)
--   n = 0        today (even on a weekend, so "today" always has a schedule)
--   n = 1, 2...  the next working days (Mon-Fri) after today
--   n = -1, -2.. the previous working days before today
-- Different n always map to different dates, so a doctor's slots that are
-- distinct by (n, time) below stay distinct by (date, time).
-- -----------------------------------------------------------------------------
CREATE TEMP TABLE demo_clinic_day (
    n   INT PRIMARY KEY,
    day DATE NOT NULL UNIQUE
);

INSERT INTO demo_clinic_day (n, day)
SELECT 0, CURRENT_DATE
UNION ALL
SELECT row_number() OVER (ORDER BY g.d), g.d::date
FROM generate_series(CURRENT_DATE + 1, CURRENT_DATE + 40, interval '1 day') AS g(d)
WHERE extract(isodow FROM g.d) < 6
UNION ALL
SELECT -row_number() OVER (ORDER BY g.d DESC), g.d::date
FROM generate_series(CURRENT_DATE - 150, CURRENT_DATE - 1, interval '1 day') AS g(d)
WHERE extract(isodow FROM g.d) < 6;


-- -----------------------------------------------------------------------------
-- Users
-- bcrypt hashes (work factor 12, BCrypt.Net-Next 4.2.0), one per password:
--   admin   -> Demo2024!Admin
--   doctor  -> Demo2024!Doctor
--   patient -> Demo2024!Patient
-- -----------------------------------------------------------------------------
INSERT INTO users (email, password, role, name, specialization, phone,
                   is_active, last_login, created_at, updated_at)
SELECT
    v.login || '@mediconnect.demo',
    CASE v.role
        WHEN 'admin'   THEN '$2a$12$6.GU39ZoKinGp/odtma5FuyXDCcqOUWC/qpNBixXeMwxQs5ooSELi'
        WHEN 'doctor'  THEN '$2a$12$4LnmyEzPxwU5CaN1GeLcxeIrRPlbRTLHWgmAC1oeC/t3qJyJ0xlAe'
        WHEN 'patient' THEN '$2a$12$uyOnqoObjeBg8YtyLrDSH.0YKjNNna/FW8CXjJ7XMVXgDcLmQvHgy'
    END,
    v.role,
    v.name,
    v.specialization,
    v.phone,
    v.is_active,
    now() - v.last_login_ago,
    now() - v.member_for,
    now() - v.member_for
FROM (VALUES
    -- login            role       name                 specialization     phone           active  last login            member for
    ('admin',           'admin',   'Alex Admin',        NULL,              '+1-555-0100',  true,   interval '1 day',     interval '2 years'),
    ('dr.smith',        'doctor',  'Dr. Sarah Smith',   'Cardiology',      '+1-555-0101',  true,   interval '3 hours',   interval '2 years'),
    ('dr.patel',        'doctor',  'Dr. Raj Patel',     'Family Medicine', '+1-555-0102',  true,   interval '5 hours',   interval '2 years'),
    ('dr.garcia',       'doctor',  'Dr. Elena Garcia',  'Pediatrics',      '+1-555-0103',  true,   interval '1 day',     interval '20 months'),
    ('dr.chen',         'doctor',  'Dr. Wei Chen',      'Endocrinology',   '+1-555-0104',  true,   interval '2 days',    interval '18 months'),
    ('dr.okafor',       'doctor',  'Dr. Ngozi Okafor',  'Dermatology',     '+1-555-0105',  true,   NULL,                 interval '14 months'),
    ('john.doe',        'patient', 'John Doe',          NULL,              '+1-555-0142',  true,   interval '2 days',    interval '8 months'),
    ('emily.johnson',   'patient', 'Emily Johnson',     NULL,              '+1-555-0143',  true,   interval '6 days',    interval '11 months'),
    ('michael.brown',   'patient', 'Michael Brown',     NULL,              '+1-555-0144',  true,   interval '9 days',    interval '13 months'),
    ('maria.rodriguez', 'patient', 'Maria Rodriguez',   NULL,              '+1-555-0145',  true,   interval '4 days',    interval '10 months'),
    ('david.wilson',    'patient', 'David Wilson',      NULL,              '+1-555-0146',  true,   NULL,                 interval '9 months'),
    ('sophia.nguyen',   'patient', 'Sophia Nguyen',     NULL,              '+1-555-0147',  true,   interval '12 days',   interval '16 months'),
    ('james.taylor',    'patient', 'James Taylor',      NULL,              '+1-555-0148',  true,   interval '1 day',     interval '15 months'),
    ('aisha.khan',      'patient', 'Aisha Khan',        NULL,              '+1-555-0149',  true,   interval '7 days',    interval '7 months'),
    ('robert.miller',   'patient', 'Robert Miller',     NULL,              '+1-555-0150',  true,   interval '20 days',   interval '12 months'),
    ('noah.kim',        'patient', 'Noah Kim',          NULL,              '+1-555-0151',  true,   NULL,                 interval '6 months'),
    ('linda.martinez',  'patient', 'Linda Martinez',    NULL,              '+1-555-0152',  false,  interval '4 months',  interval '2 years')
) AS v(login, role, name, specialization, phone, is_active, last_login_ago, member_for);


-- -----------------------------------------------------------------------------
-- Patient profiles (one per patient user)
-- -----------------------------------------------------------------------------
INSERT INTO patients (user_id, date_of_birth, gender, blood_type, allergies, conditions,
                      emergency_contact_name, emergency_contact_phone,
                      insurance_provider, insurance_member_id, last_eligibility_check,
                      address, city, state, zip_code, country, created_at, updated_at)
SELECT
    u.id, v.date_of_birth, v.gender, v.blood_type, v.allergies, v.conditions,
    v.contact_name, v.contact_phone,
    v.insurer, v.member_id, now() - v.eligibility_checked_ago,
    v.address, v.city, v.state, v.zip_code, 'USA', u.created_at, u.created_at
FROM (VALUES
    ('john.doe', DATE '1980-03-14', 'Male', 'O+',
     'Penicillin', 'Hypertension',
     'Jane Doe (spouse)', '+1-555-0242',
     'Blue Cross Blue Shield', 'BCB-884215370', interval '12 days',
     '742 Evergreen Terrace', 'Springfield', 'IL', '62704'),
    ('emily.johnson', DATE '1992-07-22', 'Female', 'A+',
     'Latex', 'Asthma',
     'Mark Johnson (brother)', '+1-555-0243',
     'Aetna', 'AET-W20931877', interval '30 days',
     '15 Lakeview Drive, Apt 4B', 'Chicago', 'IL', '60614'),
    ('michael.brown', DATE '1958-11-05', 'Male', 'B+',
     'Sulfa drugs', 'Type 2 Diabetes, Hypertension, Hyperlipidemia',
     'Patricia Brown (wife)', '+1-555-0244',
     'UnitedHealthcare', 'UHC-5521904416', interval '45 days',
     '310 Oak Street', 'Naperville', 'IL', '60540'),
    ('maria.rodriguez', DATE '1975-02-18', 'Female', 'A-',
     NULL, 'Mitral Valve Prolapse, Hypothyroidism',
     'Carlos Rodriguez (husband)', '+1-555-0245',
     'Cigna', 'CIG-U77310942', interval '20 days',
     '88 Maple Avenue', 'Evanston', 'IL', '60201'),
    ('david.wilson', DATE '1966-09-30', 'Male', 'AB+',
     'Peanuts', 'Atrial Fibrillation, Hypertension',
     'Karen Wilson (wife)', '+1-555-0246',
     'Humana', 'HUM-H40288135', interval '60 days',
     '2201 Prairie Road', 'Joliet', 'IL', '60435'),
    ('sophia.nguyen', DATE '2014-04-10', 'Female', 'O-',
     'Peanuts, Tree nuts', 'Asthma',
     'Linh Nguyen (mother)', '+1-555-0247',
     'Blue Cross Blue Shield', 'BCB-310067429', interval '90 days',
     '47 Willow Court', 'Oak Park', 'IL', '60302'),
    ('james.taylor', DATE '1949-01-25', 'Male', 'A+',
     'Penicillin, Sulfa drugs', 'Coronary Artery Disease, Type 2 Diabetes',
     'Susan Taylor (daughter)', '+1-555-0248',
     'Medicare', 'MBI-1EG4TE5MK73', interval '5 days',
     '9 Chestnut Lane', 'Aurora', 'IL', '60505'),
    ('aisha.khan', DATE '1988-12-03', 'Female', 'B-',
     NULL, 'Eczema',
     'Imran Khan (husband)', '+1-555-0249',
     'Kaiser Permanente', 'KP-00918273', interval '15 days',
     '1200 N State Street, Unit 12', 'Chicago', 'IL', '60610'),
    ('robert.miller', DATE '1971-06-14', 'Male', 'O+',
     'Latex', 'Psoriasis, Hyperlipidemia',
     'Nancy Miller (sister)', '+1-555-0250',
     'Aetna', 'AET-W55012398', interval '75 days',
     '560 Birch Boulevard', 'Schaumburg', 'IL', '60173'),
    ('noah.kim', DATE '2017-08-21', 'Male', 'A+',
     NULL, 'Seasonal Allergies',
     'Grace Kim (mother)', '+1-555-0251',
     'UnitedHealthcare', 'UHC-7730015562', interval '40 days',
     '33 Elm Street', 'Skokie', 'IL', '60076'),
    ('linda.martinez', DATE '1983-10-09', 'Female', 'AB-',
     'Codeine', 'Migraine',
     'Rosa Martinez (mother)', '+1-555-0252',
     'Cigna', 'CIG-U11840276', interval '150 days',
     '7 Harbor View', 'Milwaukee', 'WI', '53202')
) AS v(login, date_of_birth, gender, blood_type, allergies, conditions,
       contact_name, contact_phone, insurer, member_id, eligibility_checked_ago,
       address, city, state, zip_code)
JOIN users u ON u.email = v.login || '@mediconnect.demo'
ORDER BY u.id;


-- -----------------------------------------------------------------------------
-- Vital signs: self-entered / device readings of every active patient over the
-- last 90 days. Reading i = 0 is the newest, one reading every `every_days`.
-- Values vary deterministically with sin(i), and `phase` shifts each patient.
-- Readings are taken between 07:00 and 20:59. A reading that would lie in the
-- future (the newest one, early in the day) moves to the day before.
-- Which measures a reading has depends on its device:
--   Manual Entry     all measures      Omron BP Monitor  heart rate + BP
--   Apple Health     HR, SpO2, resp.   Fitbit            HR + SpO2
-- `events` replaces a few generated readings with notable (out-of-range) ones.
-- sys_trend / dia_trend add mmHg per reading going back in time (John's blood
-- pressure improves on treatment).
-- -----------------------------------------------------------------------------
WITH profile (login, phase, every_days, hr, sys, dia, sys_trend, dia_trend,
              temp, spo2, rr, weight, height, glucose) AS (
    VALUES
    -- login             ph  every  HR   sys  dia  trend(sys, dia)  temp   SpO2  RR  weight  height  glucose
    ('john.doe',          0,  3,    76,  126, 80,  0.40, 0.25,      36.7,  97,   15, 88.5,   178,    104),
    ('emily.johnson',     1,  5,    78,  112, 72,  0.00, 0.00,      36.8,  97,   16, 61.0,   165,     92),
    ('michael.brown',     2,  4,    72,  134, 84,  0.00, 0.00,      36.6,  96,   16, 97.0,   175,    165),
    ('maria.rodriguez',   3,  6,    82,  118, 76,  0.00, 0.00,      36.5,  98,   14, 68.0,   162,     95),
    ('david.wilson',      4,  4,    96,  128, 82,  0.00, 0.00,      36.7,  96,   16, 92.0,   182,    110),
    ('sophia.nguyen',     5,  7,    92,  104, 66,  0.00, 0.00,      36.9,  98,   20, 34.0,   142,     90),
    ('james.taylor',      6,  5,    68,  136, 80,  0.00, 0.00,      36.4,  95,   18, 84.0,   170,    148),
    ('aisha.khan',        7,  7,    70,  110, 70,  0.00, 0.00,      36.6,  99,   14, 58.0,   160,     88),
    ('robert.miller',     8,  6,    74,  126, 82,  0.00, 0.00,      36.6,  97,   15, 95.0,   180,    102),
    ('noah.kim',          9,  7,    96,  100, 62,  0.00, 0.00,      36.9,  98,   22, 27.0,   130,     90)
),
series AS (
    SELECT
        pr.*,
        pt.id AS patient_id,
        u.id  AS user_id,
        i,
        t.taken_at - CASE WHEN t.taken_at > now() - interval '15 minutes'
                          THEN interval '1 day' ELSE interval '0' END
            AS recorded_at,
        (ARRAY['Manual Entry', 'Omron BP Monitor', 'Apple Health', 'Fitbit'])[1 + (i + pr.phase) % 4]
            AS device
    FROM profile pr
    JOIN users u     ON u.email = pr.login || '@mediconnect.demo'
    JOIN patients pt ON pt.user_id = u.id
    CROSS JOIN LATERAL generate_series(0, 89 / pr.every_days) AS i
    CROSS JOIN LATERAL (
        SELECT (CURRENT_DATE - i * pr.every_days)
               + make_interval(hours => 7 + (i * 5 + pr.phase * 3) % 14,
                               mins  => (i * 17 + pr.phase * 11) % 60) AS taken_at
    ) AS t
),
events (login, i, device, heart_rate, blood_pressure, temperature,
        oxygen_saturation, respiratory_rate, glucose_level, notes) AS (
    VALUES
    ('john.doe',       5, 'Omron BP Monitor', 84,  '146/92', NULL,  NULL, NULL, NULL, 'Stressful week at work'),
    ('john.doe',      12, 'Omron BP Monitor', 88,  '150/95', NULL,  NULL, NULL, NULL, 'Morning reading, felt a mild headache'),
    ('john.doe',      17, 'Omron BP Monitor', 86,  '152/96', NULL,  NULL, NULL, NULL, NULL),
    ('john.doe',      22, 'Manual Entry',     82,  '148/94', 36.8,  97,   16,   118,  NULL),
    ('john.doe',       8, 'Manual Entry',     80,  '134/86', 36.7,  97,   15,   212,  'Measured about an hour after a large lunch'),
    ('emily.johnson',  1, 'Manual Entry',     112, '128/80', 37.2,  88,   26,   NULL, 'Wheezing after a cold, used rescue inhaler twice'),
    ('michael.brown',  4, 'Manual Entry',     78,  '138/88', 36.6,  96,   16,   268,  'Skipped evening metformin dose'),
    ('david.wilson',   2, 'Omron BP Monitor', 128, '142/90', NULL,  NULL, NULL, NULL, 'Irregular pulse warning on the monitor'),
    ('sophia.nguyen',  3, 'Manual Entry',     118, '106/68', 38.6,  95,   28,   NULL, 'Fever and cough, entered by parent'),
    ('james.taylor',   0, 'Apple Health',     135, NULL,     NULL,  94,   22,   NULL, 'Racing heart and lightheadedness, settled after resting')
)
INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, temperature, oxygen_saturation,
                         respiratory_rate, weight, height, glucose_level,
                         recorded_at, recorded_by, device_source, notes, created_at)
-- generated routine readings
SELECT
    s.patient_id,
    s.hr + round(7 * sin(s.i * 1.3 + s.phase))::int,
    CASE WHEN s.device IN ('Manual Entry', 'Omron BP Monitor') THEN
        (s.sys + round(s.sys_trend * s.i + 6 * sin(s.i * 0.9 + s.phase))::int)
        || '/' ||
        (s.dia + round(s.dia_trend * s.i + 4 * sin(s.i * 1.7 + s.phase))::int)
    END,
    CASE WHEN s.device = 'Manual Entry' THEN
        round((s.temp + 0.3 * sin(s.i * 2.3 + s.phase))::numeric, 1)
    END,
    CASE WHEN s.device IN ('Manual Entry', 'Apple Health', 'Fitbit') THEN
        least(100, s.spo2 + round(1.5 * sin(s.i * 1.1 + s.phase))::int)
    END,
    CASE WHEN s.device IN ('Manual Entry', 'Apple Health') THEN
        s.rr + round(2 * sin(s.i * 0.7 + s.phase))::int
    END,
    CASE WHEN s.device = 'Manual Entry' THEN
        round((s.weight + 0.6 * sin(s.i * 0.4 + s.phase))::numeric, 1)
    END,
    CASE WHEN s.device = 'Manual Entry' THEN s.height END,
    CASE WHEN s.device = 'Manual Entry' THEN
        s.glucose + round(18 * sin(s.i * 0.8 + s.phase))::int
    END,
    s.recorded_at,
    s.user_id,
    s.device,
    NULL,
    s.recorded_at
FROM series s
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.login = s.login AND e.i = s.i)
UNION ALL
-- notable readings
SELECT
    s.patient_id,
    e.heart_rate,
    e.blood_pressure,
    e.temperature,
    e.oxygen_saturation,
    e.respiratory_rate,
    NULL,
    NULL,
    e.glucose_level,
    s.recorded_at,
    s.user_id,
    e.device,
    e.notes,
    s.recorded_at
FROM events e
JOIN series s ON s.login = e.login AND s.i = e.i
ORDER BY 1, 10;  -- patient_id, recorded_at


-- -----------------------------------------------------------------------------
-- Appointments
-- `day` is a demo_clinic_day.n: negative = past working days, 0 = today,
-- positive = coming working days. Times are on the half hour, 09:00-16:30.
-- Each doctor has every status. No doctor has two live (not cancelled /
-- no_show) appointments at the same day and time. Dr. Patel never sees John.
-- `ins` adds insurance data to four of them (matched by patient and reason):
-- a paid claim, an approved pre-authorization with a submitted claim, and
-- two pre-authorizations for diagnostics today and in the coming days.
-- -----------------------------------------------------------------------------
INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time,
                          duration_minutes, type, reason, status, notes, cancellation_reason,
                          pre_authorization, pre_auth_date, claim, claim_submitted_date,
                          created_at, updated_at)
SELECT
    p.id,
    d.id,
    cd.day,
    v.at_time,
    v.minutes,
    v.type,
    v.reason,
    v.status,
    v.notes,
    v.cancellation_reason,
    ins.pre_authorization::jsonb,
    t.pre_auth_at,
    ins.claim::jsonb,
    t.claimed_at,
    t.booked_at,
    greatest(t.booked_at, t.closed_at, t.pre_auth_at, t.claimed_at)
FROM (VALUES
    -- ---- Dr. Sarah Smith (Cardiology) ----------------------------------------
    ('john.doe', 'dr.smith', -85, TIME '09:30', 45, 'Consultation',
     'New patient: elevated home blood pressure readings', 'completed',
     'BP 148/94 (right arm, seated). ECG: normal sinus rhythm, no LVH. Lifestyle plan and home BP monitoring started. Echo ordered.', NULL),
    ('john.doe', 'dr.smith', -60, TIME '10:00', 30, 'Follow-up',
     'Blood pressure follow-up', 'completed',
     'Home average 142/90. Started hydrochlorothiazide 12.5 mg daily. BMP in 4 weeks.', NULL),
    ('john.doe', 'dr.smith', -30, TIME '10:30', 30, 'Follow-up',
     'Medication review and lab results', 'completed',
     'Na 133 on BMP: HCTZ stopped, lisinopril 10 mg daily started. LDL 162: atorvastatin 20 mg started.', NULL),
    ('john.doe', 'dr.smith', -12, TIME '14:00', 30, 'Follow-up',
     'Blood pressure check', 'cancelled', NULL,
     'Patient request: work conflict'),
    ('john.doe', 'dr.smith', -10, TIME '14:30', 30, 'Follow-up',
     'Blood pressure check (rescheduled)', 'completed',
     'BP 132/84, improving on lisinopril. Start aspirin 81 mg. Recheck BMP and lipids before next visit.', NULL),
    ('john.doe', 'dr.smith', 2, TIME '10:00', 30, 'Follow-up',
     'Blood pressure and lipid follow-up', 'scheduled', NULL, NULL),

    ('michael.brown', 'dr.smith', -40, TIME '11:00', 45, 'Consultation',
     'Chest tightness on exertion', 'completed',
     'Exertional chest tightness for 3 weeks, resolves with rest. ECG unremarkable. Exercise stress test ordered, sublingual nitroglycerin PRN.', NULL),
    ('michael.brown', 'dr.smith', -20, TIME '11:00', 60, 'Diagnostic',
     'Treadmill exercise stress test', 'completed',
     'Bruce protocol, 8 min, 85% max HR reached. 1 mm ST depression in V5-V6 at peak. Started metoprolol.', NULL),
    ('michael.brown', 'dr.smith', 0, TIME '11:30', 30, 'Follow-up',
     'Stress test results review', 'confirmed', NULL, NULL),
    ('michael.brown', 'dr.smith', 3, TIME '09:30', 30, 'Follow-up',
     'Cardiology follow-up', 'confirmed', NULL, NULL),

    ('david.wilson', 'dr.smith', -25, TIME '09:00', 30, 'Follow-up',
     'Atrial fibrillation follow-up', 'completed',
     'Persistent AF, rate 96. CHA2DS2-VASc 2: apixaban started. Diltiazem for rate control.', NULL),
    ('david.wilson', 'dr.smith', -5, TIME '09:00', 30, 'Follow-up',
     'Anticoagulation review', 'no_show',
     'Patient did not attend. Voicemail left.', NULL),
    ('david.wilson', 'dr.smith', 0, TIME '09:00', 30, 'Follow-up',
     'Anticoagulation review (rescheduled)', 'in_progress', NULL, NULL),
    ('david.wilson', 'dr.smith', 5, TIME '11:00', 30, 'Follow-up',
     'Rate control check', 'scheduled', NULL, NULL),
    ('david.wilson', 'dr.smith', 6, TIME '15:00', 30, 'Follow-up',
     'Holter monitor results', 'scheduled', NULL, NULL),

    ('james.taylor', 'dr.smith', -15, TIME '15:00', 30, 'Follow-up',
     'Coronary artery disease follow-up', 'completed',
     'Stable angina, no episodes in 2 months. Continue clopidogrel, atorvastatin increased to 40 mg.', NULL),
    ('james.taylor', 'dr.smith', -3, TIME '13:00', 30, 'Follow-up',
     'Palpitations', 'cancelled', NULL,
     'Clinic reschedule: doctor unavailable'),
    ('james.taylor', 'dr.smith', 0, TIME '10:30', 30, 'Follow-up',
     'Palpitations (rescheduled)', 'confirmed', NULL, NULL),
    ('james.taylor', 'dr.smith', 6, TIME '15:00', 30, 'Follow-up',
     'Duplicate booking', 'cancelled', NULL,
     'Booked twice by mistake'),
    ('james.taylor', 'dr.smith', 8, TIME '14:30', 60, 'Diagnostic',
     'Transthoracic echocardiogram', 'confirmed', NULL, NULL),

    ('maria.rodriguez', 'dr.smith', -1, TIME '15:30', 30, 'Consultation',
     'Palpitations and mitral valve prolapse review', 'confirmed', NULL, NULL),
    ('maria.rodriguez', 'dr.smith', 0, TIME '15:00', 60, 'Diagnostic',
     'Echocardiogram', 'scheduled', NULL, NULL),
    ('maria.rodriguez', 'dr.smith', 12, TIME '10:00', 30, 'Follow-up',
     'Echocardiogram results', 'scheduled', NULL, NULL),

    -- ---- Dr. Raj Patel (Family Medicine) -------------------------------------
    ('linda.martinez', 'dr.patel', -90, TIME '11:00', 30, 'Consultation',
     'Migraine management', 'completed',
     'Episodic migraine, 3-4 per month. Sumatriptan as needed, headache diary.', NULL),
    ('linda.martinez', 'dr.patel', -50, TIME '11:00', 30, 'Follow-up',
     'Migraine follow-up', 'cancelled', NULL,
     'Patient moved out of state'),
    ('emily.johnson', 'dr.patel', -70, TIME '09:00', 30, 'Consultation',
     'Asthma review', 'completed',
     'Moderate persistent asthma, night symptoms twice a week. Inhaler technique reviewed, short prednisone burst.', NULL),
    ('emily.johnson', 'dr.patel', 0, TIME '09:30', 30, 'Consultation',
     'Wheezing and shortness of breath (asthma flare)', 'in_progress', NULL, NULL),
    ('emily.johnson', 'dr.patel', 4, TIME '16:00', 30, 'Follow-up',
     'Asthma follow-up', 'confirmed', NULL, NULL),
    ('aisha.khan', 'dr.patel', -45, TIME '10:00', 45, 'Annual Physical',
     'Annual physical', 'completed',
     'Well adult exam. BMI 22.7. Routine labs normal. Pap smear up to date.', NULL),
    ('aisha.khan', 'dr.patel', 0, TIME '14:30', 15, 'Vaccination',
     'Seasonal flu vaccination', 'scheduled', NULL, NULL),
    ('aisha.khan', 'dr.patel', 7, TIME '16:30', 30, 'Follow-up',
     'Lab review', 'cancelled', NULL,
     'Results already discussed by message'),
    ('robert.miller', 'dr.patel', -33, TIME '13:30', 30, 'Consultation',
     'Lipid panel review', 'completed',
     'LDL 171, HDL 41. 10-year ASCVD risk 9.8%. Start rosuvastatin 10 mg.', NULL),
    ('robert.miller', 'dr.patel', 0, TIME '11:00', 30, 'Follow-up',
     'Statin tolerance check', 'confirmed', NULL, NULL),
    ('robert.miller', 'dr.patel', 10, TIME '13:00', 30, 'Follow-up',
     'Repeat lipid panel review', 'scheduled', NULL, NULL),
    ('maria.rodriguez', 'dr.patel', -18, TIME '09:30', 30, 'Follow-up',
     'Thyroid symptoms check', 'no_show', NULL, NULL),
    ('maria.rodriguez', 'dr.patel', 1, TIME '09:00', 30, 'Follow-up',
     'Thyroid symptoms check (rescheduled)', 'scheduled', NULL, NULL),

    -- ---- Dr. Elena Garcia (Pediatrics) ---------------------------------------
    ('sophia.nguyen', 'dr.garcia', -55, TIME '15:00', 45, 'Well-Child Visit',
     'Annual well-child visit', 'completed',
     'Growth on 60th percentile. Asthma well controlled. Vaccines up to date. Epinephrine auto-injector renewed for nut allergy.', NULL),
    ('sophia.nguyen', 'dr.garcia', -22, TIME '16:00', 30, 'Follow-up',
     'Asthma action plan review', 'cancelled', NULL,
     'School trip'),
    ('sophia.nguyen', 'dr.garcia', 0, TIME '10:00', 30, 'Consultation',
     'Cough and wheeze after a cold', 'in_progress', NULL, NULL),
    ('sophia.nguyen', 'dr.garcia', 3, TIME '16:00', 30, 'Follow-up',
     'Asthma action plan review', 'scheduled', NULL, NULL),
    ('noah.kim', 'dr.garcia', -38, TIME '15:30', 30, 'Consultation',
     'Right ear pain and fever', 'completed',
     'Acute otitis media, right ear. Amoxicillin for 10 days, ibuprofen for pain.', NULL),
    ('noah.kim', 'dr.garcia', -8, TIME '16:00', 30, 'Follow-up',
     'Ear infection follow-up', 'no_show', NULL, NULL),
    ('noah.kim', 'dr.garcia', 0, TIME '15:30', 30, 'Follow-up',
     'Ear infection follow-up (rescheduled)', 'confirmed', NULL, NULL),
    ('noah.kim', 'dr.garcia', 11, TIME '15:00', 45, 'Well-Child Visit',
     'Annual well-child visit', 'scheduled', NULL, NULL),

    -- ---- Dr. Wei Chen (Endocrinology) ----------------------------------------
    ('michael.brown', 'dr.chen', -65, TIME '09:00', 45, 'Consultation',
     'Type 2 diabetes management', 'completed',
     'HbA1c 8.4%. Metformin 500 mg twice daily started, dietitian referral.', NULL),
    ('michael.brown', 'dr.chen', -28, TIME '09:00', 30, 'Follow-up',
     'Glucose log review', 'cancelled', NULL,
     'Clinic closed: severe weather'),
    ('michael.brown', 'dr.chen', 0, TIME '09:30', 30, 'Follow-up',
     'Glucose log review (rescheduled)', 'in_progress', NULL, NULL),
    ('michael.brown', 'dr.chen', 15, TIME '09:00', 30, 'Follow-up',
     'HbA1c recheck', 'scheduled', NULL, NULL),
    ('james.taylor', 'dr.chen', -48, TIME '10:30', 30, 'Follow-up',
     'HbA1c review', 'completed',
     'HbA1c 7.9% on metformin. Basal insulin glargine 10 units at bedtime added.', NULL),
    ('james.taylor', 'dr.chen', -6, TIME '10:30', 30, 'Follow-up',
     'Insulin titration', 'no_show', NULL, NULL),
    ('james.taylor', 'dr.chen', 0, TIME '13:30', 30, 'Follow-up',
     'Insulin titration (rescheduled)', 'scheduled', NULL, NULL),
    ('maria.rodriguez', 'dr.chen', -14, TIME '13:00', 30, 'Consultation',
     'Fatigue and weight gain', 'completed',
     'TSH 7.8, free T4 low-normal. Subclinical hypothyroidism, levothyroxine 50 mcg started.', NULL),
    ('maria.rodriguez', 'dr.chen', 13, TIME '11:30', 30, 'Follow-up',
     'Thyroid follow-up (TSH recheck)', 'confirmed', NULL, NULL),
    ('john.doe', 'dr.chen', 9, TIME '09:00', 30, 'Consultation',
     'Elevated glucose reading: diabetes screening', 'scheduled', NULL, NULL),

    -- ---- Dr. Ngozi Okafor (Dermatology) --------------------------------------
    ('aisha.khan', 'dr.okafor', -75, TIME '13:00', 30, 'Consultation',
     'Eczema flare on hands and elbows', 'completed',
     'Atopic dermatitis, moderate. Triamcinolone 0.1% cream for 2 weeks, emollients.', NULL),
    ('aisha.khan', 'dr.okafor', -4, TIME '13:00', 30, 'Follow-up',
     'Eczema follow-up', 'completed',
     'Partial response. Switched to tacrolimus ointment for face and hands.', NULL),
    ('aisha.khan', 'dr.okafor', 5, TIME '13:30', 30, 'Follow-up',
     'Eczema review', 'confirmed', NULL, NULL),
    ('robert.miller', 'dr.okafor', -52, TIME '14:00', 30, 'Consultation',
     'Psoriasis plaques on elbows and scalp', 'completed',
     'Plaque psoriasis, about 4% BSA. Clobetasol ointment, coal tar shampoo.', NULL),
    ('robert.miller', 'dr.okafor', -9, TIME '14:00', 30, 'Follow-up',
     'Psoriasis treatment review', 'no_show', NULL, NULL),
    ('robert.miller', 'dr.okafor', 0, TIME '14:00', 30, 'Follow-up',
     'Psoriasis treatment review (rescheduled)', 'in_progress', NULL, NULL),
    ('emily.johnson', 'dr.okafor', -35, TIME '14:00', 30, 'Consultation',
     'Mole check', 'cancelled', NULL,
     'Patient unwell'),
    ('emily.johnson', 'dr.okafor', 0, TIME '16:00', 30, 'Consultation',
     'Mole check (rescheduled)', 'scheduled', NULL, NULL),
    ('emily.johnson', 'dr.okafor', 12, TIME '15:00', 30, 'Procedure',
     'Annual full-body skin check', 'scheduled', NULL, NULL)
) AS v(patient, doctor, day, at_time, minutes, type, reason, status, notes, cancellation_reason)
JOIN users p            ON p.email = v.patient || '@mediconnect.demo'
JOIN users d            ON d.email = v.doctor || '@mediconnect.demo'
JOIN demo_clinic_day cd ON cd.n = v.day
LEFT JOIN (VALUES
    ('john.doe', 'New patient: elevated home blood pressure readings',
     NULL, NULL,
     '{"claim_number": "CLM-100245", "payer": "Blue Cross Blue Shield",
       "cpt_codes": ["99204", "93000"], "icd10_codes": ["I10"],
       "billed_amount": 325.00, "allowed_amount": 245.60, "paid_amount": 220.60,
       "patient_responsibility": 25.00, "status": "paid"}', 1),
    ('michael.brown', 'Treadmill exercise stress test',
     '{"status": "approved", "authorization_number": "PA-778120",
       "payer": "UnitedHealthcare", "cpt_codes": ["93015"],
       "icd10_codes": ["R07.89"], "approved_units": 1}', 7,
     '{"claim_number": "CLM-100391", "payer": "UnitedHealthcare",
       "cpt_codes": ["93015"], "icd10_codes": ["R07.89", "E11.9"],
       "billed_amount": 410.00, "status": "submitted"}', 1),
    ('james.taylor', 'Transthoracic echocardiogram',
     '{"status": "pending", "reference": "PA-REQ-55231",
       "payer": "Medicare", "cpt_codes": ["93306"],
       "icd10_codes": ["I25.10", "R00.2"]}', 10,
     NULL, NULL),
    ('maria.rodriguez', 'Echocardiogram',
     '{"status": "approved", "authorization_number": "PA-781044",
       "payer": "Cigna", "cpt_codes": ["93306"],
       "icd10_codes": ["I34.1"], "approved_units": 1}', 6,
     NULL, NULL)
) AS ins(patient, reason, pre_authorization, pre_auth_days_before, claim, claim_days_after)
       ON ins.patient = v.patient AND ins.reason = v.reason
CROSS JOIN LATERAL (
    SELECT
        -- booked two weeks ahead (or two weeks ago for today and later)
        least(now(), cd.day + v.at_time) - interval '14 days' AS booked_at,
        -- finished visits were last touched when they ended
        CASE WHEN v.status IN ('completed', 'cancelled', 'no_show') THEN
            least(now(), cd.day + v.at_time + make_interval(mins => v.minutes))
        END AS closed_at,
        CASE WHEN ins.pre_authorization IS NOT NULL THEN
            least(now() - interval '1 day',
                  cd.day + TIME '09:00' - make_interval(days => ins.pre_auth_days_before))
        END AS pre_auth_at,
        CASE WHEN ins.claim IS NOT NULL THEN
            cd.day + TIME '17:00' + make_interval(days => ins.claim_days_after)
        END AS claimed_at
) AS t
ORDER BY cd.day, v.at_time, d.id;


-- -----------------------------------------------------------------------------
-- Prescriptions (every status). `day` is the clinic day it was written. It is
-- linked to the live appointment between the same pair on that day, if any.
-- John Doe (Penicillin) and James Taylor (Penicillin, Sulfa drugs) get no
-- penicillins and no sulfonamides.
-- -----------------------------------------------------------------------------
INSERT INTO prescriptions (patient_id, doctor_id, appointment_id, medication, dosage, frequency,
                           duration, quantity, refills, pharmacy, pharmacy_id, status,
                           instructions, notes, prescribed_date, expiration_date,
                           created_at, updated_at)
SELECT
    p.id,
    d.id,
    a.id,
    v.medication,
    v.dosage,
    v.frequency,
    v.duration,
    v.quantity,
    v.refills,
    ph.name,
    ph.ncpdp_id,
    v.status,
    v.instructions,
    v.notes,
    cd.day,
    cd.day + v.valid_days,
    least(now(), cd.day + TIME '12:00'),
    least(now(), cd.day + TIME '12:00')
FROM (VALUES
    -- ---- John Doe / Dr. Smith ------------------------------------------------
    ('john.doe', 'dr.smith', -60, 'Hydrochlorothiazide', '12.5 mg', 'Once daily', '90 days', 30, 2,
     'cvs', 'cancelled', 'Take in the morning.',
     'Discontinued: mild hyponatremia (Na 133). Replaced by lisinopril.', 365),
    ('john.doe', 'dr.smith', -30, 'Lisinopril', '10 mg', 'Once daily', 'Ongoing', 30, 5,
     'cvs', 'active', 'Take in the morning. Report a persistent dry cough or any swelling of lips or face.',
     NULL, 365),
    ('john.doe', 'dr.smith', -30, 'Atorvastatin', '20 mg', 'Once daily at bedtime', 'Ongoing', 90, 3,
     'cvs', 'filled', 'Report unexplained muscle pain.', NULL, 365),
    ('john.doe', 'dr.smith', -10, 'Aspirin', '81 mg', 'Once daily', 'Ongoing', 90, 3,
     'cvs', 'pending', 'Take with food.', 'Primary prevention, ASCVD risk 8.9%.', 365),

    -- ---- Other patients of Dr. Smith ----------------------------------------
    ('michael.brown', 'dr.smith', -40, 'Nitroglycerin sublingual', '0.4 mg', 'As needed for chest pain, max 3 doses 5 min apart', '30 days', 25, 1,
     'walgreens', 'dispensed', 'Sit down before use. Call 911 if pain persists after the first dose.', NULL, 180),
    ('michael.brown', 'dr.smith', -20, 'Metoprolol succinate ER', '25 mg', 'Once daily', 'Ongoing', 30, 5,
     'walgreens', 'filled', 'Do not stop suddenly.', NULL, 365),
    ('david.wilson', 'dr.smith', -25, 'Apixaban', '5 mg', 'Twice daily', 'Ongoing', 60, 5,
     'riteaid', 'active', 'Do not skip doses. Tell your dentist you take a blood thinner.', NULL, 365),
    ('david.wilson', 'dr.smith', -25, 'Diltiazem ER', '120 mg', 'Once daily', 'Ongoing', 30, 5,
     'riteaid', 'filled', 'Swallow whole.', NULL, 365),
    ('james.taylor', 'dr.smith', -15, 'Clopidogrel', '75 mg', 'Once daily', 'Ongoing', 90, 3,
     'walgreens', 'active', NULL, NULL, 365),
    ('james.taylor', 'dr.smith', -15, 'Atorvastatin', '40 mg', 'Once daily at bedtime', 'Ongoing', 90, 3,
     'walgreens', 'active', NULL, 'Dose increased from 20 mg.', 365),

    -- ---- Dr. Chen ------------------------------------------------------------
    ('michael.brown', 'dr.chen', -65, 'Metformin', '500 mg', 'Twice daily with meals', 'Ongoing', 180, 3,
     'walgreens', 'active', 'Take with breakfast and dinner.', NULL, 365),
    ('michael.brown', 'dr.chen', 0, 'Empagliflozin', '10 mg', 'Once daily', 'Ongoing', 30, 5,
     'walgreens', 'pending', 'Take in the morning. Stay well hydrated.', 'Pending insurance coverage check.', 365),
    ('james.taylor', 'dr.chen', -48, 'Insulin glargine', '10 units', 'Once daily at bedtime', 'Ongoing', 5, 2,
     'walgreens', 'dispensed', 'Inject subcutaneously. Rotate sites. Check fasting glucose daily.', 'Five 3 mL pens.', 180),
    ('maria.rodriguez', 'dr.chen', -14, 'Levothyroxine', '50 mcg', 'Once daily before breakfast', 'Ongoing', 90, 3,
     'cvs', 'active', 'Take on an empty stomach, 30 minutes before food.', NULL, 365),

    -- ---- Dr. Patel -----------------------------------------------------------
    ('emily.johnson', 'dr.patel', -70, 'Albuterol HFA inhaler', '90 mcg/puff', '2 puffs every 4-6 hours as needed', 'Ongoing', 1, 2,
     'cvs', 'active', 'Use a spacer. Seek care if needed more than every 4 hours.', NULL, 365),
    ('emily.johnson', 'dr.patel', -70, 'Prednisone', '40 mg', 'Once daily', '5 days', 5, 0,
     'cvs', 'completed', 'Take in the morning with food.', NULL, 30),
    ('emily.johnson', 'dr.patel', 0, 'Prednisone', '40 mg', 'Once daily', '5 days', 5, 0,
     'cvs', 'pending', 'Take in the morning with food.', 'Asthma flare, SpO2 88% at home.', 30),
    ('robert.miller', 'dr.patel', -33, 'Rosuvastatin', '10 mg', 'Once daily', 'Ongoing', 90, 3,
     'riteaid', 'dispensed', NULL, NULL, 365),
    ('linda.martinez', 'dr.patel', -90, 'Sumatriptan', '50 mg', 'At migraine onset, may repeat once after 2 hours', '30 days', 9, 1,
     'cvs', 'completed', 'Max 200 mg in 24 hours.', NULL, 180),

    -- ---- Dr. Garcia ----------------------------------------------------------
    ('sophia.nguyen', 'dr.garcia', -55, 'Montelukast chewable', '5 mg', 'Once daily at bedtime', 'Ongoing', 30, 5,
     'walgreens', 'active', NULL, NULL, 365),
    ('sophia.nguyen', 'dr.garcia', -55, 'Epinephrine auto-injector (junior)', '0.15 mg', 'Once as needed for anaphylaxis', '1 year', 2, 1,
     'walgreens', 'filled', 'Carry both pens at all times. Call 911 after use.', 'Peanut and tree nut allergy.', 365),
    ('noah.kim', 'dr.garcia', -38, 'Amoxicillin oral suspension', '400 mg/5 mL, 5 mL', 'Twice daily', '10 days', 100, 0,
     'cvs', 'completed', 'Shake well. Finish the full course.', NULL, 30),

    -- ---- Dr. Okafor ----------------------------------------------------------
    ('aisha.khan', 'dr.okafor', -75, 'Triamcinolone 0.1% cream', 'Thin layer', 'Twice daily', '14 days', 1, 0,
     'riteaid', 'completed', 'Not for the face.', NULL, 60),
    ('aisha.khan', 'dr.okafor', -4, 'Tacrolimus 0.1% ointment', 'Thin layer', 'Twice daily', '8 weeks', 1, 1,
     'riteaid', 'active', 'Mild burning in the first days is common.', NULL, 180),
    ('robert.miller', 'dr.okafor', -52, 'Clobetasol 0.05% ointment', 'Thin layer', 'Twice daily', '2 weeks', 1, 0,
     'riteaid', 'completed', 'Not for face or skin folds.', NULL, 60),
    ('robert.miller', 'dr.okafor', -52, 'Calcipotriene 0.005% cream', 'Thin layer', 'Twice daily', '8 weeks', 1, 1,
     'riteaid', 'cancelled', NULL, 'Cancelled before filling: insurer requires a clobetasol trial first.', 180)
) AS v(patient, doctor, day, medication, dosage, frequency, duration, quantity, refills,
       pharmacy, status, instructions, notes, valid_days)
JOIN (VALUES
    ('cvs',       'CVS Pharmacy #4821',   'NCPDP-1452380'),
    ('walgreens', 'Walgreens #11902',     'NCPDP-0534211'),
    ('riteaid',   'Rite Aid #3310',       'NCPDP-3917746')
) AS ph(code, name, ncpdp_id) ON ph.code = v.pharmacy
JOIN users p            ON p.email = v.patient || '@mediconnect.demo'
JOIN users d            ON d.email = v.doctor || '@mediconnect.demo'
JOIN demo_clinic_day cd ON cd.n = v.day
LEFT JOIN appointments a
       ON a.patient_id = p.id
      AND a.doctor_id = d.id
      AND a.appointment_date = cd.day
      AND a.status NOT IN ('cancelled', 'no_show')
ORDER BY cd.day, d.id, p.id, v.medication;


-- -----------------------------------------------------------------------------
-- Messages. `about` names the reason of the appointment the message refers to.
-- read_after NULL = still unread.
-- -----------------------------------------------------------------------------
INSERT INTO messages (sender_id, recipient_id, appointment_id, subject, body,
                      priority, is_read, read_at, created_at)
SELECT
    s.id,
    r.id,
    a.id,
    v.subject,
    v.body,
    v.priority,
    v.read_after IS NOT NULL,
    now() - v.sent_ago + v.read_after,
    now() - v.sent_ago
FROM (VALUES
    ('john.doe', 'dr.smith', 'Home blood pressure readings',
     'Hi Dr. Smith, my home readings this week were mostly around 135/85, but on Tuesday morning I got 150/95. Should I be worried?',
     'normal', interval '20 days', interval '3 hours', NULL),
    ('dr.smith', 'john.doe', 'RE: Home blood pressure readings',
     'Thanks for sending these, John. A single high reading is not unusual. Keep measuring twice a day and we will go through your log at the next visit. If you ever see a reading above 180/120 or have chest pain, call 911.',
     'normal', interval '19 days 20 hours', interval '2 hours', NULL),
    ('john.doe', 'dr.smith', 'Dry cough since starting lisinopril?',
     'I have had a dry tickly cough for about a week. Could it be the new blood pressure pill?',
     'high', interval '3 days', interval '1 hour', NULL),
    ('dr.smith', 'john.doe', 'RE: Dry cough since starting lisinopril?',
     'A dry cough is a known side effect of lisinopril. Keep taking it for now and we will discuss alternatives at your appointment. If you notice any swelling of the lips, tongue or face, stop it and seek care immediately.',
     'high', interval '2 days', NULL, NULL),
    ('dr.smith', 'john.doe', 'Before your follow-up visit',
     'Please bring your home blood pressure log and all your medications. We will draw fasting labs, so nothing to eat after midnight (water is fine).',
     'normal', interval '1 day', NULL, 'Blood pressure and lipid follow-up'),
    ('john.doe', 'dr.smith', 'Question about fasting',
     'Can I still take my morning lisinopril with water before the fasting blood test?',
     'low', interval '5 hours', NULL, 'Blood pressure and lipid follow-up'),
    ('james.taylor', 'dr.smith', 'Racing heart and lightheadedness',
     'My watch showed a heart rate of 135 and I felt lightheaded for a few minutes. It has settled now. Should I come in earlier?',
     'urgent', interval '10 minutes', NULL, NULL),
    ('david.wilson', 'dr.smith', 'Sorry I missed my appointment',
     'Apologies for missing the anticoagulation review, I was stuck at work. I have booked the new slot.',
     'normal', interval '5 days', interval '4 hours', NULL),
    ('admin', 'dr.smith', 'Portal maintenance window',
     'The portal will be read-only on Sunday between 06:00 and 07:00 for database maintenance.',
     'low', interval '7 days', interval '1 day', NULL),
    ('emily.johnson', 'dr.patel', 'Inhaler running low',
     'My albuterol inhaler is almost empty and I have been using it more this week. Can I get a refill?',
     'high', interval '2 days', interval '30 minutes', NULL),
    ('dr.patel', 'emily.johnson', 'RE: Inhaler running low',
     'Your refill is authorized at CVS. Using it this often means your asthma is not controlled, so please come in today. I have kept a morning slot for you.',
     'high', interval '1 day 23 hours', interval '1 hour', NULL),
    ('sophia.nguyen', 'dr.garcia', 'School asthma form',
     'Hello Dr. Garcia, the school needs the asthma action plan form signed. Can you fill it in at our next visit? (Linh, Sophia''s mother)',
     'low', interval '4 days', interval '6 hours', NULL),
    ('dr.garcia', 'sophia.nguyen', 'RE: School asthma form',
     'Of course. Bring the form to the visit and we will complete it together.',
     'low', interval '3 days 16 hours', NULL, NULL),
    ('aisha.khan', 'dr.okafor', 'Ointment burning',
     'The new ointment burns a little for the first few minutes after I apply it. Is that normal?',
     'normal', interval '2 days', interval '5 hours', NULL),
    ('dr.okafor', 'aisha.khan', 'RE: Ointment burning',
     'Yes, mild burning is common during the first week and usually fades. If it gets worse or you see blistering, stop and message me.',
     'normal', interval '1 day 18 hours', interval '2 hours', NULL),
    ('dr.chen', 'michael.brown', 'Your glucose log',
     'Thanks for uploading your readings. The 268 reading stands out, please make sure not to skip the evening metformin dose. We will adjust your treatment at the visit.',
     'normal', interval '10 days', interval '1 day', NULL)
) AS v(sender, recipient, subject, body, priority, sent_ago, read_after, about)
JOIN users s ON s.email = v.sender || '@mediconnect.demo'
JOIN users r ON r.email = v.recipient || '@mediconnect.demo'
LEFT JOIN appointments a
       ON a.reason = v.about
      AND a.patient_id IN (s.id, r.id)
      AND a.doctor_id IN (s.id, r.id)
ORDER BY v.sent_ago DESC;


-- -----------------------------------------------------------------------------
-- Medical records: consultation notes for completed visits (linked to the
-- appointment of that pair on that clinic day), plus lab results, imaging,
-- a procedure, diagnoses and a note. record_date is the end of the visit,
-- or `day` + `at_time` for records without an appointment.
-- -----------------------------------------------------------------------------
INSERT INTO medical_records (patient_id, doctor_id, appointment_id, record_type,
                             chief_complaint, diagnosis, treatment_plan, notes, attachments,
                             record_date, created_at, updated_at)
SELECT
    p.id,
    d.id,
    a.id,
    v.record_type,
    v.chief_complaint,
    v.diagnosis,
    v.treatment_plan,
    v.notes,
    v.attachments::jsonb,
    r.record_date,
    r.record_date,
    r.record_date
FROM (VALUES
    -- ---- John Doe ------------------------------------------------------------
    ('john.doe', 'dr.smith', -85, TIME '10:15', 'consultation',
     'Elevated home blood pressure readings for 2 months',
     'Elevated blood pressure, suspected essential hypertension',
     'DASH diet, sodium under 2 g/day, 150 min/week exercise. Home BP twice daily for 4 weeks. Echocardiogram.',
     'No chest pain or dyspnea. Father had MI at 58. Non-smoker. BP 148/94, HR 78. ECG normal sinus rhythm.',
     '[{"name": "ecg-12-lead.pdf", "size": 184320, "content_type": "application/pdf"}]'),
    ('john.doe', 'dr.smith', -80, TIME '11:00', 'imaging',
     'Hypertension work-up',
     'Normal LV size and function, EF 60%. Mild concentric LV remodeling. No valvular disease.',
     NULL,
     'Transthoracic echocardiogram.',
     '[{"name": "echo-report.pdf", "size": 312576, "content_type": "application/pdf"}, {"name": "echo-4chamber.png", "size": 204800, "content_type": "image/png"}]'),
    ('john.doe', 'dr.smith', -60, TIME '10:30', 'consultation',
     'Blood pressure follow-up',
     'Essential hypertension, not at goal',
     'Start hydrochlorothiazide 12.5 mg daily. BMP in 4 weeks. Continue lifestyle changes.',
     'Home average 142/90 over 4 weeks. Good adherence to diet.',
     '[]'),
    ('john.doe', 'dr.smith', -32, TIME '08:30', 'lab_result',
     NULL,
     'Na 133 mmol/L (low), K 3.6, creatinine 0.9. LDL 162 mg/dL (high), HDL 44, triglycerides 178. Fasting glucose 101.',
     NULL,
     'Basic metabolic panel and fasting lipid panel.',
     '[{"name": "lab-results-bmp-lipids.pdf", "size": 98304, "content_type": "application/pdf"}]'),
    ('john.doe', 'dr.smith', -30, TIME '11:00', 'consultation',
     'Medication review and lab results',
     'Essential hypertension. Thiazide-induced mild hyponatremia. Hyperlipidemia.',
     'Stop HCTZ. Start lisinopril 10 mg daily and atorvastatin 20 mg at bedtime. Recheck BMP in 2 weeks.',
     'Asymptomatic. Discussed ACE-inhibitor cough and angioedema warning signs.',
     '[]'),
    ('john.doe', 'dr.smith', -30, TIME '11:05', 'diagnosis',
     NULL,
     'I10 Essential (primary) hypertension. E78.5 Hyperlipidemia, unspecified.',
     'Target BP under 130/80, LDL under 100 mg/dL.',
     NULL,
     '[]'),
    ('john.doe', 'dr.smith', -10, TIME '15:00', 'consultation',
     'Blood pressure check',
     'Essential hypertension, improving',
     'Continue lisinopril and atorvastatin. Start aspirin 81 mg daily. Fasting labs before the next visit.',
     'BP 132/84, HR 74. Occasional dry cough, tolerable.',
     '[]'),

    -- ---- Other patients of Dr. Smith ----------------------------------------
    ('michael.brown', 'dr.smith', -40, TIME '11:45', 'consultation',
     'Chest tightness on exertion for 3 weeks',
     'Suspected stable angina',
     'Exercise stress test. Sublingual nitroglycerin as needed. Continue diabetes care with Dr. Chen.',
     'Tightness after climbing 2 flights of stairs, relieved by rest within 5 minutes. ECG unremarkable.',
     '[]'),
    ('michael.brown', 'dr.smith', -20, TIME '12:00', 'procedure',
     'Treadmill exercise stress test',
     'Positive for inducible ischemia: 1 mm horizontal ST depression in V5-V6 at peak exercise',
     'Start metoprolol succinate 25 mg. Refer for coronary CT angiography.',
     'Bruce protocol, 8 minutes, 85% of max predicted HR. Chest tightness at peak, resolved in recovery.',
     '[{"name": "stress-test-ecg.pdf", "size": 421888, "content_type": "application/pdf"}]'),
    ('david.wilson', 'dr.smith', -25, TIME '09:30', 'consultation',
     'Atrial fibrillation follow-up',
     'Persistent atrial fibrillation. CHA2DS2-VASc 2.',
     'Start apixaban 5 mg twice daily and diltiazem ER 120 mg daily. 48-hour Holter monitor.',
     'Intermittent palpitations, no syncope. Irregularly irregular pulse, rate 96.',
     '[]'),
    ('david.wilson', 'dr.smith', -24, TIME '09:00', 'imaging',
     'Shortness of breath on exertion',
     'No acute cardiopulmonary process. Heart size at upper limit of normal.',
     NULL,
     'Chest X-ray, PA and lateral.',
     '[{"name": "chest-xray.png", "size": 204800, "content_type": "image/png"}]'),
    ('david.wilson', 'dr.smith', -5, TIME '09:45', 'note',
     NULL, NULL, NULL,
     'Patient did not attend the anticoagulation review. Voicemail left. Patient rebooked for today.',
     '[]'),
    ('james.taylor', 'dr.smith', -15, TIME '15:30', 'consultation',
     'Coronary artery disease follow-up',
     'Stable coronary artery disease',
     'Continue clopidogrel. Increase atorvastatin to 40 mg. Echocardiogram.',
     'No angina in 2 months. Walks 20 minutes daily. BP 134/78.',
     '[]'),

    -- ---- Dr. Patel -----------------------------------------------------------
    ('linda.martinez', 'dr.patel', -90, TIME '11:30', 'consultation',
     'Recurrent headaches',
     'Migraine without aura',
     'Sumatriptan at onset. Headache diary. Avoid codeine (allergy).',
     'Unilateral throbbing headaches with nausea and photophobia, 3-4 per month.',
     '[]'),
    ('emily.johnson', 'dr.patel', -70, TIME '09:30', 'consultation',
     'Night cough and wheeze',
     'Moderate persistent asthma, partially controlled',
     'Prednisone 40 mg for 5 days. Albuterol as needed. Inhaler technique reviewed. Asthma action plan given.',
     'Night symptoms twice a week. Peak flow 72% of personal best. Latex allergy noted.',
     '[]'),
    ('aisha.khan', 'dr.patel', -45, TIME '10:45', 'consultation',
     'Annual physical',
     'Healthy adult',
     'Routine screening up to date. Continue eczema care with dermatology.',
     'BMI 22.7, BP 110/70. CBC, CMP and lipids normal.',
     '[]'),
    ('robert.miller', 'dr.patel', -33, TIME '14:00', 'consultation',
     'Lipid panel review',
     'Hyperlipidemia',
     'Start rosuvastatin 10 mg daily. Repeat lipids in 8 weeks.',
     'LDL 171, HDL 41. 10-year ASCVD risk 9.8%.',
     '[]'),

    -- ---- Dr. Garcia ----------------------------------------------------------
    ('sophia.nguyen', 'dr.garcia', -55, TIME '15:45', 'consultation',
     'Annual well-child visit',
     'Healthy child. Mild persistent asthma, well controlled. Peanut and tree nut allergy.',
     'Continue montelukast. Renew epinephrine auto-injectors. Annual flu vaccine.',
     'Height 142 cm, weight 34 kg (60th percentile). Development normal.',
     '[]'),
    ('noah.kim', 'dr.garcia', -38, TIME '16:00', 'consultation',
     'Right ear pain and fever for 2 days',
     'Acute otitis media, right ear',
     'Amoxicillin 10 days. Ibuprofen for pain and fever. Follow-up in 4 weeks.',
     'Temp 38.4. Bulging, erythematous right tympanic membrane.',
     '[]'),

    -- ---- Dr. Chen ------------------------------------------------------------
    ('michael.brown', 'dr.chen', -66, TIME '08:00', 'lab_result',
     NULL,
     'HbA1c 8.4% (high). Fasting glucose 172 mg/dL. eGFR 82.',
     NULL,
     'HbA1c and renal function.',
     '[{"name": "hba1c.pdf", "size": 61440, "content_type": "application/pdf"}]'),
    ('michael.brown', 'dr.chen', -65, TIME '09:45', 'consultation',
     'Type 2 diabetes management',
     'Type 2 diabetes mellitus, uncontrolled',
     'Metformin 500 mg twice daily. Dietitian referral. Glucose log. HbA1c in 3 months.',
     'Diagnosed 4 years ago, diet controlled until now. No hypoglycemia.',
     '[]'),
    ('james.taylor', 'dr.chen', -48, TIME '11:00', 'consultation',
     'HbA1c review',
     'Type 2 diabetes mellitus, not at goal',
     'Add insulin glargine 10 units at bedtime, titrate by 2 units every 3 days to fasting glucose 80-130.',
     'HbA1c 7.9% on metformin. Insulin pen technique taught.',
     '[]'),
    ('maria.rodriguez', 'dr.chen', -14, TIME '13:30', 'consultation',
     'Fatigue and weight gain',
     'Subclinical hypothyroidism',
     'Levothyroxine 50 mcg daily. TSH in 6 weeks.',
     'TSH 7.8 mIU/L, free T4 low-normal. Weight up 3 kg in 6 months.',
     '[]'),

    -- ---- Dr. Okafor ----------------------------------------------------------
    ('aisha.khan', 'dr.okafor', -75, TIME '13:30', 'consultation',
     'Itchy rash on hands and elbows',
     'Atopic dermatitis, moderate',
     'Triamcinolone 0.1% cream twice daily for 2 weeks. Fragrance-free emollients.',
     'Lichenified plaques on both antecubital fossae and dorsal hands.',
     '[{"name": "rash-elbow.jpg", "size": 156672, "content_type": "image/jpeg"}]'),
    ('aisha.khan', 'dr.okafor', -4, TIME '13:30', 'consultation',
     'Eczema follow-up',
     'Atopic dermatitis, partially controlled',
     'Tacrolimus 0.1% ointment twice daily for face and hands.',
     'Improved on elbows. Persistent dermatitis on hands and eyelids.',
     '[]'),
    ('robert.miller', 'dr.okafor', -52, TIME '14:30', 'consultation',
     'Scaly plaques on elbows and scalp',
     'Plaque psoriasis, about 4% BSA',
     'Clobetasol ointment for 2 weeks, coal tar shampoo. Review in 6 weeks.',
     'Well-demarcated erythematous plaques with silvery scale. Nail pitting.',
     '[]')
) AS v(patient, doctor, day, at_time, record_type, chief_complaint, diagnosis,
       treatment_plan, notes, attachments)
JOIN users p            ON p.email = v.patient || '@mediconnect.demo'
JOIN users d            ON d.email = v.doctor || '@mediconnect.demo'
JOIN demo_clinic_day cd ON cd.n = v.day
LEFT JOIN appointments a
       ON a.patient_id = p.id
      AND a.doctor_id = d.id
      AND a.appointment_date = cd.day
      AND a.status = 'completed'
CROSS JOIN LATERAL (
    SELECT least(now(), cd.day + v.at_time) AS record_date
) AS r
ORDER BY r.record_date, p.id;


-- -----------------------------------------------------------------------------
-- Notifications for John Doe and Dr. Smith
-- -----------------------------------------------------------------------------
INSERT INTO notifications (user_id, type, title, message, data, status,
                           sent_at, read_at, created_at)
SELECT
    u.id,
    v.type,
    v.title,
    v.message,
    v.data::jsonb,
    v.status,
    CASE WHEN v.status <> 'pending' THEN now() - v.created_ago END,
    CASE WHEN v.status = 'read' THEN now() - v.created_ago + interval '2 hours' END,
    now() - v.created_ago
FROM (VALUES
    ('john.doe', 'in_app', 'Upcoming appointment',
     'Follow-up with Dr. Sarah Smith in the coming days at 10:00. Please bring your blood pressure log.',
     '{"link": "/appointments"}', 'pending', interval '1 hour'),
    ('john.doe', 'in_app', 'New message from Dr. Sarah Smith',
     'You have a new message: "Before your follow-up visit".',
     '{"link": "/messages"}', 'sent', interval '1 day'),
    ('john.doe', 'in_app', 'Prescription filled',
     'Your atorvastatin prescription has been filled at CVS Pharmacy #4821.',
     '{"link": "/prescriptions"}', 'read', interval '25 days'),
    ('john.doe', 'email', 'Lab results available',
     'New lab results are available in your MediConnect chart.',
     '{"link": "/records"}', 'delivered', interval '40 days'),
    ('dr.smith', 'in_app', 'Urgent message from James Taylor',
     'Racing heart and lightheadedness.',
     '{"link": "/messages"}', 'pending', interval '10 minutes'),
    ('dr.smith', 'in_app', 'Appointment cancelled',
     'John Doe cancelled a blood pressure check.',
     '{"link": "/appointments"}', 'read', interval '17 days'),
    ('dr.smith', 'in_app', 'Today''s schedule',
     'You have 4 appointments today.',
     '{"link": "/appointments"}', 'sent', interval '2 hours')
) AS v(login, type, title, message, data, status, created_ago)
JOIN users u ON u.email = v.login || '@mediconnect.demo'
ORDER BY v.created_ago DESC;


-- -----------------------------------------------------------------------------
-- Clean up the helper table
-- -----------------------------------------------------------------------------
DROP TABLE demo_clinic_day;
