-- =============================================================================
-- 100_lab_results.sql
-- Structured laboratory results: a catalog of common tests (LOINC code and name,
-- UCUM unit, adult reference ranges, critical limits), common panels, and the
-- results themselves. A result's unit must be its test's unit (a foreign key on
-- the pair), and its flag is computed from the range that applies to the patient
-- (sex, age at the specimen time), never typed: a trigger computes it and a check
-- constraint refuses any flag that does not match the range stored on the row.
--
-- Sources of the facts below:
--   * Codes and names: LOINC (https://loinc.org, Regenstrief Institute), long
--     common names shortened for display.
--   * Units: UCUM (https://ucum.org) as LOINC's example UCUM units give them.
--   * Adult reference intervals: MedlinePlus "Lab tests" pages
--     (https://medlineplus.gov/lab-tests/) and Mayo Clinic Laboratories' test
--     catalog (https://www.mayocliniclabs.com); lipid and HbA1c limits are the
--     ACC/AHA and ADA decision limits.
--   * Critical limits: typical published critical-value lists (e.g. Mayo Clinic
--     Laboratories "Critical values"); each laboratory sets its own.
-- Ranges differ between laboratories and methods; these are the clinic's defaults.
-- Only adult ranges (18 years and over) ship: a child's result gets no flag.
-- =============================================================================

CREATE TABLE lab_tests (
    loinc_code TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    unit       TEXT NOT NULL,
    decimals   SMALLINT NOT NULL DEFAULT 1,

    CONSTRAINT lab_tests_loinc_code_check CHECK (loinc_code ~ '^[0-9]{1,7}-[0-9]$'),
    CONSTRAINT lab_tests_decimals_check CHECK (decimals BETWEEN 0 AND 3),
    CONSTRAINT lab_tests_code_unit_key UNIQUE (loinc_code, unit)
);

COMMENT ON TABLE lab_tests IS
    'Catalog of laboratory tests: LOINC code and name, the UCUM unit every result of the test is stored in.';

CREATE TABLE lab_test_ranges (
    id            SERIAL PRIMARY KEY,
    loinc_code    TEXT NOT NULL REFERENCES lab_tests (loinc_code) ON DELETE CASCADE,
    sex           TEXT NOT NULL DEFAULT 'any',
    age_min_years INT NOT NULL DEFAULT 18,
    age_max_years INT,
    low           NUMERIC,
    high          NUMERIC,
    critical_low  NUMERIC,
    critical_high NUMERIC,

    CONSTRAINT lab_test_ranges_sex_check CHECK (sex IN ('any', 'female', 'male')),
    CONSTRAINT lab_test_ranges_age_check CHECK (age_min_years >= 0 AND (age_max_years IS NULL OR age_max_years > age_min_years)),
    CONSTRAINT lab_test_ranges_bound_check CHECK (low IS NOT NULL OR high IS NOT NULL),
    CONSTRAINT lab_test_ranges_order_check CHECK (low IS NULL OR high IS NULL OR low < high),
    CONSTRAINT lab_test_ranges_critical_low_check CHECK (critical_low IS NULL OR (low IS NOT NULL AND critical_low < low)),
    CONSTRAINT lab_test_ranges_critical_high_check CHECK (critical_high IS NULL OR (high IS NOT NULL AND critical_high > high)),
    CONSTRAINT lab_test_ranges_key UNIQUE (loinc_code, sex, age_min_years)
);

COMMENT ON TABLE lab_test_ranges IS
    'Reference range of a test per sex (''any'' unless it differs) and age band in years; critical limits outside it.';

CREATE TABLE lab_panels (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE lab_panel_tests (
    panel_code TEXT NOT NULL REFERENCES lab_panels (code) ON DELETE CASCADE,
    loinc_code TEXT NOT NULL REFERENCES lab_tests (loinc_code),
    position   INT NOT NULL,
    PRIMARY KEY (panel_code, loinc_code)
);

COMMENT ON TABLE lab_panels IS 'Common panels (LOINC panel codes) a doctor enters in one go, e.g. a basic metabolic panel.';

-- The one rule for a flag, used by the trigger and by the check constraint.
CREATE FUNCTION lab_flag(value NUMERIC, low NUMERIC, high NUMERIC, critical_low NUMERIC, critical_high NUMERIC)
RETURNS TEXT
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE
        WHEN low IS NULL AND high IS NULL THEN NULL
        WHEN value < critical_low THEN 'critical_low'
        WHEN value > critical_high THEN 'critical_high'
        WHEN value < low THEN 'low'
        WHEN value > high THEN 'high'
        ELSE 'normal'
    END
$$;

CREATE TABLE lab_results (
    id                 SERIAL PRIMARY KEY,
    patient_id         INT NOT NULL REFERENCES users (id),
    loinc_code         TEXT NOT NULL,
    value              NUMERIC NOT NULL,
    unit               TEXT NOT NULL,
    range_low          NUMERIC,
    range_high         NUMERIC,
    critical_low       NUMERIC,
    critical_high      NUMERIC,
    flag               TEXT,
    status             TEXT NOT NULL DEFAULT 'final',
    specimen_at        TIMESTAMPTZ NOT NULL,
    resulted_at        TIMESTAMPTZ NOT NULL,
    ordering_doctor_id INT NOT NULL REFERENCES users (id),
    entered_by         INT NOT NULL REFERENCES users (id),
    panel_code         TEXT REFERENCES lab_panels (code),
    source             TEXT NOT NULL DEFAULT 'manual',
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT lab_results_test_unit_fkey FOREIGN KEY (loinc_code, unit) REFERENCES lab_tests (loinc_code, unit),
    CONSTRAINT lab_results_status_check CHECK (status IN ('preliminary', 'final', 'corrected')),
    CONSTRAINT lab_results_source_check CHECK (source IN ('manual', 'csv_import')),
    CONSTRAINT lab_results_flag_check CHECK (flag IN ('normal', 'low', 'high', 'critical_low', 'critical_high')),
    CONSTRAINT lab_results_flag_matches_range CHECK (flag IS NOT DISTINCT FROM lab_flag(value, range_low, range_high, critical_low, critical_high)),
    CONSTRAINT lab_results_times_check CHECK (resulted_at >= specimen_at)
);

CREATE INDEX lab_results_patient_test_idx ON lab_results (patient_id, loinc_code, specimen_at DESC);
CREATE INDEX lab_results_patient_specimen_idx ON lab_results (patient_id, specimen_at DESC, id DESC);

COMMENT ON TABLE lab_results IS
    'Laboratory results of a patient user: value in the test''s unit, the range that applied (copied from '
    'lab_test_ranges for the patient''s sex and age at specimen time) and the flag computed from it.';

-- Copies the range that applies to the patient (their own sex first, then ''any''; age at the
-- specimen time) onto the row and computes the flag from it.
CREATE FUNCTION lab_results_apply_range() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    r lab_test_ranges%ROWTYPE;
BEGIN
    SELECT lr.* INTO r
    FROM lab_test_ranges lr
    LEFT JOIN patients p ON p.user_id = NEW.patient_id
    WHERE lr.loinc_code = NEW.loinc_code
      AND (lr.sex = 'any' OR lr.sex = lower(p.gender))
      AND p.date_of_birth IS NOT NULL
      AND extract(year FROM age(NEW.specimen_at::date, p.date_of_birth)) >= lr.age_min_years
      AND (lr.age_max_years IS NULL OR extract(year FROM age(NEW.specimen_at::date, p.date_of_birth)) < lr.age_max_years)
    ORDER BY lr.sex = 'any', lr.age_min_years DESC
    LIMIT 1;

    NEW.range_low := r.low;
    NEW.range_high := r.high;
    NEW.critical_low := r.critical_low;
    NEW.critical_high := r.critical_high;
    NEW.flag := lab_flag(NEW.value, r.low, r.high, r.critical_low, r.critical_high);
    RETURN NEW;
END
$$;

CREATE TRIGGER lab_results_apply_range
    BEFORE INSERT OR UPDATE OF value, loinc_code, patient_id, specimen_at, flag, range_low, range_high, critical_low, critical_high
    ON lab_results
    FOR EACH ROW EXECUTE FUNCTION lab_results_apply_range();

-- -----------------------------------------------------------------------------
-- The catalog
-- -----------------------------------------------------------------------------
INSERT INTO lab_tests (loinc_code, name, short_name, unit, decimals) VALUES
    -- Chemistry (basic and comprehensive metabolic panels)
    ('2345-7',  'Glucose [Mass/volume] in Serum or Plasma', 'Glucose', 'mg/dL', 0),
    ('1558-6',  'Fasting glucose [Mass/volume] in Serum or Plasma', 'Fasting glucose', 'mg/dL', 0),
    ('2951-2',  'Sodium [Moles/volume] in Serum or Plasma', 'Sodium', 'mmol/L', 0),
    ('2823-3',  'Potassium [Moles/volume] in Serum or Plasma', 'Potassium', 'mmol/L', 1),
    ('2075-0',  'Chloride [Moles/volume] in Serum or Plasma', 'Chloride', 'mmol/L', 0),
    ('2028-9',  'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'CO2 (bicarbonate)', 'mmol/L', 0),
    ('3094-0',  'Urea nitrogen [Mass/volume] in Serum or Plasma', 'BUN', 'mg/dL', 0),
    ('2160-0',  'Creatinine [Mass/volume] in Serum or Plasma', 'Creatinine', 'mg/dL', 2),
    ('33914-3', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by MDRD', 'eGFR', 'mL/min/{1.73_m2}', 0),
    ('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'Calcium', 'mg/dL', 1),
    ('2885-2',  'Protein [Mass/volume] in Serum or Plasma', 'Total protein', 'g/dL', 1),
    ('1751-7',  'Albumin [Mass/volume] in Serum or Plasma', 'Albumin', 'g/dL', 1),
    ('1975-2',  'Bilirubin.total [Mass/volume] in Serum or Plasma', 'Bilirubin, total', 'mg/dL', 1),
    ('1968-7',  'Bilirubin.direct [Mass/volume] in Serum or Plasma', 'Bilirubin, direct', 'mg/dL', 1),
    ('6768-6',  'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', 'Alkaline phosphatase', 'U/L', 0),
    ('1742-6',  'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'ALT', 'U/L', 0),
    ('1920-8',  'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'AST', 'U/L', 0),
    ('2324-2',  'Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma', 'GGT', 'U/L', 0),
    ('2532-0',  'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma', 'LDH', 'U/L', 0),
    ('2777-1',  'Phosphate [Mass/volume] in Serum or Plasma', 'Phosphorus', 'mg/dL', 1),
    ('19123-9', 'Magnesium [Mass/volume] in Serum or Plasma', 'Magnesium', 'mg/dL', 1),
    ('3084-1',  'Urate [Mass/volume] in Serum or Plasma', 'Uric acid', 'mg/dL', 1),
    ('2524-7',  'Lactate [Moles/volume] in Serum or Plasma', 'Lactate', 'mmol/L', 1),
    ('1798-8',  'Amylase [Enzymatic activity/volume] in Serum or Plasma', 'Amylase', 'U/L', 0),
    ('3040-3',  'Lipase [Enzymatic activity/volume] in Serum or Plasma', 'Lipase', 'U/L', 0),
    ('2157-6',  'Creatine kinase [Enzymatic activity/volume] in Serum or Plasma', 'Creatine kinase', 'U/L', 0),
    -- Lipids and diabetes
    ('2093-3',  'Cholesterol [Mass/volume] in Serum or Plasma', 'Cholesterol, total', 'mg/dL', 0),
    ('2571-8',  'Triglyceride [Mass/volume] in Serum or Plasma', 'Triglycerides', 'mg/dL', 0),
    ('2085-9',  'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'HDL cholesterol', 'mg/dL', 0),
    ('13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'LDL cholesterol', 'mg/dL', 0),
    ('4548-4',  'Hemoglobin A1c/Hemoglobin.total in Blood', 'HbA1c', '%', 1),
    -- Complete blood count
    ('6690-2',  'Leukocytes [#/volume] in Blood by Automated count', 'White blood cells', '10*3/uL', 1),
    ('789-8',   'Erythrocytes [#/volume] in Blood by Automated count', 'Red blood cells', '10*6/uL', 2),
    ('718-7',   'Hemoglobin [Mass/volume] in Blood', 'Hemoglobin', 'g/dL', 1),
    ('4544-3',  'Hematocrit [Volume Fraction] of Blood by Automated count', 'Hematocrit', '%', 1),
    ('787-2',   'MCV [Entitic volume] by Automated count', 'MCV', 'fL', 0),
    ('785-6',   'MCH [Entitic mass] by Automated count', 'MCH', 'pg', 1),
    ('786-4',   'MCHC [Mass/volume] by Automated count', 'MCHC', 'g/dL', 1),
    ('788-0',   'Erythrocyte distribution width [Ratio] by Automated count', 'RDW', '%', 1),
    ('777-3',   'Platelets [#/volume] in Blood by Automated count', 'Platelets', '10*3/uL', 0),
    ('32623-1', 'Platelet mean volume [Entitic volume] in Blood by Automated count', 'MPV', 'fL', 1),
    ('751-8',   'Neutrophils [#/volume] in Blood by Automated count', 'Neutrophils', '10*3/uL', 2),
    ('731-0',   'Lymphocytes [#/volume] in Blood by Automated count', 'Lymphocytes', '10*3/uL', 2),
    ('742-7',   'Monocytes [#/volume] in Blood by Automated count', 'Monocytes', '10*3/uL', 2),
    ('711-2',   'Eosinophils [#/volume] in Blood by Automated count', 'Eosinophils', '10*3/uL', 2),
    ('704-7',   'Basophils [#/volume] in Blood by Automated count', 'Basophils', '10*3/uL', 2),
    -- Coagulation
    ('5902-2',  'Prothrombin time (PT)', 'PT', 's', 1),
    ('6301-6',  'INR in Platelet poor plasma by Coagulation assay', 'INR', '{INR}', 1),
    ('14979-9', 'aPTT in Platelet poor plasma by Coagulation assay', 'aPTT', 's', 1),
    ('3255-7',  'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay', 'Fibrinogen', 'mg/dL', 0),
    -- Thyroid
    ('3016-3',  'Thyrotropin [Units/volume] in Serum or Plasma', 'TSH', 'm[IU]/L', 2),
    ('3024-7',  'Thyroxine (T4) free [Mass/volume] in Serum or Plasma', 'Free T4', 'ng/dL', 2),
    ('3051-0',  'Triiodothyronine (T3) Free [Mass/volume] in Serum or Plasma', 'Free T3', 'pg/mL', 1),
    -- Iron, vitamins
    ('2498-4',  'Iron [Mass/volume] in Serum or Plasma', 'Iron', 'ug/dL', 0),
    ('2500-7',  'Iron binding capacity [Mass/volume] in Serum or Plasma', 'TIBC', 'ug/dL', 0),
    ('2276-4',  'Ferritin [Mass/volume] in Serum or Plasma', 'Ferritin', 'ng/mL', 0),
    ('2132-9',  'Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma', 'Vitamin B12', 'pg/mL', 0),
    ('2284-8',  'Folate [Mass/volume] in Serum or Plasma', 'Folate', 'ng/mL', 1),
    ('1989-3',  '25-Hydroxyvitamin D3+25-Hydroxyvitamin D2 [Mass/volume] in Serum or Plasma', 'Vitamin D (25-OH)', 'ng/mL', 0),
    -- Inflammation, cardiac, hormones
    ('1988-5',  'C reactive protein [Mass/volume] in Serum or Plasma', 'CRP', 'mg/L', 1),
    ('4537-7',  'Erythrocyte sedimentation rate by Westergren method', 'ESR', 'mm/h', 0),
    ('10839-9', 'Troponin I.cardiac [Mass/volume] in Serum or Plasma', 'Troponin I', 'ng/mL', 2),
    ('33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'NT-proBNP', 'pg/mL', 0),
    ('2986-8',  'Testosterone [Mass/volume] in Serum or Plasma', 'Testosterone', 'ng/dL', 0),
    ('2857-1',  'Prostate specific Ag [Mass/volume] in Serum or Plasma', 'PSA', 'ng/mL', 1),
    -- Urine
    ('14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine', 'Urine albumin/creatinine', 'mg/g', 0),
    ('2756-5',  'pH of Urine by Test strip', 'Urine pH', '[pH]', 1);

INSERT INTO lab_test_ranges (loinc_code, sex, low, high, critical_low, critical_high) VALUES
    ('2345-7',  'any', 70, 99, 40, 500),
    ('1558-6',  'any', 70, 99, 40, 500),
    ('2951-2',  'any', 136, 145, 120, 160),
    ('2823-3',  'any', 3.5, 5.1, 2.8, 6.2),
    ('2075-0',  'any', 98, 107, 80, 120),
    ('2028-9',  'any', 22, 29, 10, 40),
    ('3094-0',  'any', 7, 20, NULL, 100),
    ('2160-0',  'male', 0.74, 1.35, NULL, 10),
    ('2160-0',  'female', 0.59, 1.04, NULL, 10),
    ('33914-3', 'any', 60, NULL, 15, NULL),
    ('17861-6', 'any', 8.6, 10.3, 6.5, 13.0),
    ('2885-2',  'any', 6.0, 8.3, NULL, NULL),
    ('1751-7',  'any', 3.4, 5.4, NULL, NULL),
    ('1975-2',  'any', 0.1, 1.2, NULL, 15),
    ('1968-7',  'any', NULL, 0.3, NULL, NULL),
    ('6768-6',  'any', 44, 147, NULL, NULL),
    ('1742-6',  'any', 7, 56, NULL, NULL),
    ('1920-8',  'any', 10, 40, NULL, NULL),
    ('2324-2',  'any', 9, 48, NULL, NULL),
    ('2532-0',  'any', 140, 280, NULL, NULL),
    ('2777-1',  'any', 2.5, 4.5, 1.0, 8.9),
    ('19123-9', 'any', 1.7, 2.2, 1.0, 4.9),
    ('3084-1',  'male', 3.4, 7.0, NULL, NULL),
    ('3084-1',  'female', 2.4, 6.0, NULL, NULL),
    ('2524-7',  'any', 0.5, 2.2, NULL, 4.0),
    ('1798-8',  'any', 30, 110, NULL, NULL),
    ('3040-3',  'any', 0, 160, NULL, NULL),
    ('2157-6',  'male', 39, 308, NULL, NULL),
    ('2157-6',  'female', 26, 192, NULL, NULL),
    ('2093-3',  'any', NULL, 200, NULL, NULL),
    ('2571-8',  'any', NULL, 150, NULL, 1000),
    ('2085-9',  'male', 40, NULL, NULL, NULL),
    ('2085-9',  'female', 50, NULL, NULL, NULL),
    ('13457-7', 'any', NULL, 100, NULL, NULL),
    ('4548-4',  'any', 4.0, 5.6, NULL, NULL),
    ('6690-2',  'any', 4.5, 11.0, 2.0, 30.0),
    ('789-8',   'male', 4.7, 6.1, NULL, NULL),
    ('789-8',   'female', 4.2, 5.4, NULL, NULL),
    ('718-7',   'male', 13.5, 17.5, 7.0, 20.0),
    ('718-7',   'female', 12.0, 15.5, 7.0, 20.0),
    ('4544-3',  'male', 41, 50, 20, 60),
    ('4544-3',  'female', 36, 44, 20, 60),
    ('787-2',   'any', 80, 100, NULL, NULL),
    ('785-6',   'any', 27, 33, NULL, NULL),
    ('786-4',   'any', 32, 36, NULL, NULL),
    ('788-0',   'any', 11.5, 14.5, NULL, NULL),
    ('777-3',   'any', 150, 400, 20, 1000),
    ('32623-1', 'any', 7.5, 11.5, NULL, NULL),
    ('751-8',   'any', 1.8, 7.7, 0.5, NULL),
    ('731-0',   'any', 1.0, 4.8, NULL, NULL),
    ('742-7',   'any', 0.2, 0.8, NULL, NULL),
    ('711-2',   'any', 0.0, 0.5, NULL, NULL),
    ('704-7',   'any', 0.0, 0.2, NULL, NULL),
    ('5902-2',  'any', 11.0, 13.5, NULL, NULL),
    ('6301-6',  'any', 0.8, 1.1, NULL, 5.0),
    ('14979-9', 'any', 25, 35, NULL, 100),
    ('3255-7',  'any', 200, 400, 100, NULL),
    ('3016-3',  'any', 0.4, 4.0, NULL, NULL),
    ('3024-7',  'any', 0.8, 1.8, NULL, NULL),
    ('3051-0',  'any', 2.3, 4.2, NULL, NULL),
    ('2498-4',  'any', 60, 170, NULL, NULL),
    ('2500-7',  'any', 240, 450, NULL, NULL),
    ('2276-4',  'male', 24, 336, NULL, NULL),
    ('2276-4',  'female', 11, 307, NULL, NULL),
    ('2132-9',  'any', 200, 900, NULL, NULL),
    ('2284-8',  'any', 2.7, 17.0, NULL, NULL),
    ('1989-3',  'any', 30, 100, NULL, NULL),
    ('1988-5',  'any', NULL, 10, NULL, NULL),
    ('4537-7',  'male', NULL, 15, NULL, NULL),
    ('4537-7',  'female', NULL, 20, NULL, NULL),
    ('10839-9', 'any', NULL, 0.04, NULL, NULL),
    ('33762-6', 'any', NULL, 125, NULL, NULL),
    ('2986-8',  'male', 264, 916, NULL, NULL),
    ('2986-8',  'female', 15, 70, NULL, NULL),
    ('2857-1',  'male', NULL, 4.0, NULL, NULL),
    ('14959-1', 'any', NULL, 30, NULL, NULL),
    ('2756-5',  'any', 4.5, 8.0, NULL, NULL);

INSERT INTO lab_panels (code, name) VALUES
    ('51990-0', 'Basic metabolic panel'),
    ('24323-8', 'Comprehensive metabolic panel'),
    ('58410-2', 'Complete blood count (CBC)'),
    ('24331-1', 'Lipid panel');

INSERT INTO lab_panel_tests (panel_code, loinc_code, position)
SELECT '51990-0', code, ord FROM unnest(ARRAY['2345-7', '3094-0', '2160-0', '2951-2', '2823-3', '2075-0', '2028-9', '17861-6']) WITH ORDINALITY AS t(code, ord)
UNION ALL
SELECT '24323-8', code, ord FROM unnest(ARRAY['2345-7', '3094-0', '2160-0', '2951-2', '2823-3', '2075-0', '2028-9', '17861-6',
                                              '2885-2', '1751-7', '1975-2', '6768-6', '1920-8', '1742-6']) WITH ORDINALITY AS t(code, ord)
UNION ALL
SELECT '58410-2', code, ord FROM unnest(ARRAY['6690-2', '789-8', '718-7', '4544-3', '787-2', '785-6', '786-4', '788-0', '777-3']) WITH ORDINALITY AS t(code, ord)
UNION ALL
SELECT '24331-1', code, ord FROM unnest(ARRAY['2093-3', '2571-8', '2085-9', '13457-7']) WITH ORDINALITY AS t(code, ord);
