-- =============================================================================
-- 102_immunizations.sql
-- Immunizations: the vaccines a patient has had, each with its CVX code, the day
-- it was given, dose number, lot, site and who gave it. A doctor records one
-- given at the clinic; a patient records one given elsewhere (a pharmacy, another
-- clinic), which stays patient-reported until a doctor of theirs confirms it.
-- The portal checks the care team and audits every write; the database keeps the
-- rules that must hold whatever writes the row.
-- =============================================================================

-- -----------------------------------------------------------------------------
-- vaccines: the CVX codes the portal offers, the vaccines a small clinic records
-- most often. Source: CDC, National Center for Immunization and Respiratory
-- Diseases, "IIS: HL7 Standard Code Set Mapping CVX — Vaccines Administered"
-- (https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx), code
-- and short description as published there (status Active, or Inactive for
-- codes still used to record past doses). The FHIR system is
-- http://hl7.org/fhir/sid/cvx. More codes can be added by a later migration.
-- -----------------------------------------------------------------------------
CREATE TABLE vaccines (
    cvx_code    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,

    CONSTRAINT vaccines_cvx_code_check CHECK (cvx_code ~ '^[0-9]{1,3}$'),
    CONSTRAINT vaccines_name_check CHECK (btrim(name) <> '' AND length(name) <= 80)
);

COMMENT ON TABLE vaccines IS
    'CVX vaccine codes (CDC) the portal offers when an immunization is recorded; name is what people read.';

INSERT INTO vaccines (cvx_code, name, description) VALUES
    ('03',  'MMR',                          'measles, mumps and rubella virus vaccine'),
    ('08',  'Hep B, adolescent or pediatric', 'hepatitis B vaccine, pediatric or pediatric/adolescent dosage'),
    ('10',  'IPV',                          'poliovirus vaccine, inactivated'),
    ('17',  'Hib, unspecified formulation', 'Haemophilus influenzae type b vaccine, conjugate unspecified formulation'),
    ('19',  'BCG',                          'Bacillus Calmette-Guerin vaccine'),
    ('20',  'DTaP',                         'diphtheria, tetanus toxoids and acellular pertussis vaccine'),
    ('21',  'Varicella',                    'varicella virus vaccine'),
    ('25',  'Typhoid, oral',                'typhoid vaccine, live, oral'),
    ('33',  'Pneumococcal polysaccharide PPV23', 'pneumococcal polysaccharide vaccine, 23 valent'),
    ('37',  'Yellow fever',                 'yellow fever vaccine'),
    ('43',  'Hep B, adult',                 'hepatitis B vaccine, adult dosage'),
    ('45',  'Hep B, unspecified formulation', 'hepatitis B vaccine, unspecified formulation'),
    ('48',  'Hib (PRP-T)',                  'Haemophilus influenzae type b vaccine, PRP-T conjugate'),
    ('49',  'Hib (PRP-OMP)',                'Haemophilus influenzae type b vaccine, PRP-OMP conjugate'),
    ('52',  'Hep A, adult',                 'hepatitis A vaccine, adult dosage'),
    ('62',  'HPV, quadrivalent',            'human papilloma virus vaccine, quadrivalent'),
    ('83',  'Hep A, ped/adol, 2 dose',      'hepatitis A vaccine, pediatric/adolescent dosage, 2 dose schedule'),
    ('85',  'Hep A, unspecified formulation', 'hepatitis A vaccine, unspecified formulation'),
    ('88',  'Influenza, unspecified formulation', 'influenza virus vaccine, unspecified formulation'),
    ('94',  'MMRV',                         'measles, mumps, rubella and varicella virus vaccine'),
    ('101', 'Typhoid, ViCPs',               'typhoid Vi capsular polysaccharide vaccine'),
    ('104', 'Hep A-Hep B',                  'hepatitis A and hepatitis B vaccine'),
    ('110', 'DTaP-Hep B-IPV',               'DTaP-hepatitis B and poliovirus vaccine'),
    ('113', 'Td (adult), preservative free', 'tetanus and diphtheria toxoids, adsorbed, preservative free, for adult use'),
    ('114', 'Meningococcal MCV4P',          'meningococcal polysaccharide (groups A, C, Y and W-135) diphtheria toxoid conjugate vaccine'),
    ('115', 'Tdap',                         'tetanus toxoid, reduced diphtheria toxoid and acellular pertussis vaccine, adsorbed'),
    ('116', 'Rotavirus, pentavalent',       'rotavirus, live, pentavalent vaccine'),
    ('119', 'Rotavirus, monovalent',        'rotavirus, live, monovalent vaccine'),
    ('120', 'DTaP-Hib-IPV',                 'diphtheria, tetanus toxoids and acellular pertussis vaccine, Haemophilus influenzae type b conjugate and poliovirus vaccine, inactivated'),
    ('121', 'Zoster live',                  'zoster vaccine, live'),
    ('133', 'Pneumococcal conjugate PCV 13', 'pneumococcal conjugate vaccine, 13 valent'),
    ('136', 'Meningococcal MCV4O',          'meningococcal oligosaccharide (groups A, C, Y and W-135) diphtheria toxoid conjugate vaccine'),
    ('140', 'Influenza, seasonal, injectable, preservative free', 'influenza, seasonal, injectable, preservative free'),
    ('141', 'Influenza, seasonal, injectable', 'influenza, seasonal, injectable'),
    ('149', 'Influenza, live, intranasal, quadrivalent', 'influenza, live, intranasal, quadrivalent'),
    ('150', 'Influenza, injectable, quadrivalent, preservative free', 'influenza, injectable, quadrivalent, preservative free'),
    ('158', 'Influenza, injectable, quadrivalent', 'influenza, injectable, quadrivalent, contains preservative'),
    ('162', 'Meningococcal B, recombinant', 'meningococcal B vaccine, fully recombinant'),
    ('163', 'Meningococcal B, OMV',         'meningococcal B vaccine, recombinant, OMV, adjuvanted'),
    ('165', 'HPV9',                         'human papillomavirus 9-valent vaccine'),
    ('171', 'Influenza, injectable, MDCK, quadrivalent, preservative free', 'influenza, injectable, Madin Darby Canine Kidney, preservative free, quadrivalent'),
    ('185', 'Influenza, recombinant, quadrivalent, preservative free', 'seasonal influenza, quadrivalent, recombinant, injectable, preservative free'),
    ('187', 'Zoster recombinant',           'zoster vaccine recombinant, adjuvanted'),
    ('189', 'Hep B, CpG adjuvanted',        'hepatitis B vaccine (recombinant), CpG adjuvanted'),
    ('197', 'Influenza, high-dose, quadrivalent', 'influenza, high-dose seasonal, quadrivalent, preservative free'),
    ('205', 'Influenza, adjuvanted, quadrivalent', 'influenza vaccine, quadrivalent, adjuvanted'),
    ('207', 'COVID-19, mRNA, 100 mcg/0.5 mL', 'SARS-CoV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 100 mcg/0.5 mL dose'),
    ('208', 'COVID-19, mRNA, 30 mcg/0.3 mL', 'SARS-CoV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3 mL dose'),
    ('213', 'COVID-19, unspecified formulation', 'SARS-CoV-2 (COVID-19) vaccine, unspecified formulation'),
    ('215', 'Pneumococcal conjugate PCV 15', 'pneumococcal conjugate vaccine, 15 valent'),
    ('216', 'Pneumococcal conjugate PCV 20', 'pneumococcal conjugate vaccine, 20 valent');

-- -----------------------------------------------------------------------------
-- immunizations: one dose a patient (users.id, like appointments) has had.
-- source 'clinic': a doctor of the clinic gave it (given_by) and recorded it.
-- source 'patient_reported': given elsewhere, recorded by the patient; no doctor
-- of ours gave it, so given_by stays empty for good. A doctor of the patient's
-- confirms it (confirmed_by, confirmed_at) after seeing the proof; until then the
-- portal shows it as patient-reported and FHIR says primarySource false.
-- -----------------------------------------------------------------------------
CREATE TABLE immunizations (
    id              SERIAL PRIMARY KEY,
    patient_id      INT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cvx_code        TEXT NOT NULL REFERENCES vaccines (cvx_code),
    administered_on DATE NOT NULL,
    dose_number     SMALLINT,
    lot_number      TEXT,
    site            TEXT,
    given_at        TEXT,
    notes           TEXT,
    source          TEXT NOT NULL,
    given_by        INT REFERENCES users (id),
    recorded_by     INT NOT NULL REFERENCES users (id),
    confirmed_by    INT REFERENCES users (id),
    confirmed_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT immunizations_source_check CHECK (source IN ('clinic', 'patient_reported')),
    CONSTRAINT immunizations_dose_number_check CHECK (dose_number BETWEEN 1 AND 20),
    CONSTRAINT immunizations_lot_number_check CHECK (length(lot_number) BETWEEN 1 AND 40),
    CONSTRAINT immunizations_site_check CHECK (length(site) BETWEEN 1 AND 60),
    CONSTRAINT immunizations_given_at_check CHECK (length(given_at) BETWEEN 1 AND 120),
    CONSTRAINT immunizations_notes_check CHECK (length(notes) BETWEEN 1 AND 1000),
    CONSTRAINT immunizations_administered_on_check CHECK (administered_on > DATE '1900-01-01'),
    -- Given at the clinic: by a doctor, and nothing to confirm. Given elsewhere: by nobody of ours.
    CONSTRAINT immunizations_given_by_check CHECK (
        (source = 'clinic' AND given_by IS NOT NULL AND confirmed_by IS NULL)
        OR (source = 'patient_reported' AND given_by IS NULL)),
    CONSTRAINT immunizations_confirmed_check CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);

CREATE INDEX immunizations_patient_idx ON immunizations (patient_id, administered_on DESC, id DESC);

CREATE TRIGGER immunizations_set_updated_at
    BEFORE UPDATE ON immunizations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE immunizations IS
    'Vaccine doses a patient has had: given at the clinic (source clinic, given_by a doctor) or reported by the '
    'patient (source patient_reported) until a doctor confirms it (confirmed_by, confirmed_at).';

-- The rules that read other rows or the clock: the patient is a patient, the people are doctors, and the
-- day is neither before the patient's birth nor in the future. "Future" is the database's clock, taken
-- where the calendar is furthest ahead (UTC+14): a day that has begun nowhere on Earth is refused, so the
-- rule holds whatever the session's time zone; the portal refuses the day after its own today first.
CREATE FUNCTION immunization_check() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    born DATE;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.patient_id AND role = 'patient') THEN
        RAISE EXCEPTION 'An immunization belongs to a patient (user %).', NEW.patient_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'immunizations_patient_is_patient';
    END IF;
    IF NEW.given_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.given_by AND role = 'doctor') THEN
        RAISE EXCEPTION 'An immunization is given by a doctor (user %).', NEW.given_by
            USING ERRCODE = 'check_violation', CONSTRAINT = 'immunizations_given_by_doctor';
    END IF;
    IF NEW.confirmed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.confirmed_by AND role = 'doctor') THEN
        RAISE EXCEPTION 'An immunization is confirmed by a doctor (user %).', NEW.confirmed_by
            USING ERRCODE = 'check_violation', CONSTRAINT = 'immunizations_confirmed_by_doctor';
    END IF;
    IF NEW.administered_on > (now() AT TIME ZONE 'UTC' + interval '14 hours')::date THEN
        RAISE EXCEPTION 'An immunization cannot be dated in the future (%).', NEW.administered_on
            USING ERRCODE = 'check_violation', CONSTRAINT = 'immunizations_not_in_future';
    END IF;
    SELECT date_of_birth INTO born FROM patients WHERE user_id = NEW.patient_id;
    IF NEW.administered_on < born THEN
        RAISE EXCEPTION 'An immunization cannot be dated before the patient''s birth.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'immunizations_not_before_birth';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER immunizations_check
    BEFORE INSERT OR UPDATE ON immunizations
    FOR EACH ROW EXECUTE FUNCTION immunization_check();
