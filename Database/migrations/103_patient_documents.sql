-- =============================================================================
-- 103_patient_documents.sql
-- Documents on a patient's record: a PDF or an image a patient uploads (an
-- outside report) or a doctor attaches, optionally to one medical record.
-- medical_records.attachments keeps only the names the original data carried;
-- the files themselves live here.
--
-- Why bytea, not large objects: a document is at most a few tens of MB (the
-- portal's limit is DOCUMENT_MAX_MB, 20 by default; the database refuses more
-- than 100 MB whatever the portal says). At that size a bytea column, stored
-- out of line by TOAST, is an ordinary row: it commits with its audit row in
-- one transaction, disappears with its row (large objects are orphaned unless
-- something calls lo_unlink), is covered by the table's own privileges, and is
-- carried by pg_dump, pg_basebackup and streaming replication like every other
-- row, without the separate large-object handling (pg_dump --blobs,
-- vacuumlo) large objects need. Large objects would buy seeking and values over
-- 1 GB, which a clinic's uploads never need; the portal streams a download
-- with Npgsql's sequential access rather than seeking.
--
-- STORAGE EXTERNAL: PDFs, PNGs and JPEGs are already compressed; TOAST stores
-- them out of line without spending CPU on a compression that gains nothing.
--
-- The content type is one of three, decided by the portal from the first bytes
-- (never the file name), and the database checks the same magic bytes, so a
-- row can never claim a type its content does not start with.
-- =============================================================================

CREATE TABLE patient_documents (
    id                SERIAL PRIMARY KEY,
    patient_id        INT NOT NULL REFERENCES users (id),
    medical_record_id INT REFERENCES medical_records (id) ON DELETE SET NULL,
    uploaded_by       INT NOT NULL REFERENCES users (id),
    file_name         TEXT NOT NULL,
    description       TEXT,
    content_type      TEXT NOT NULL,
    content           BYTEA NOT NULL,
    size_bytes        INT GENERATED ALWAYS AS (octet_length(content)) STORED,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT patient_documents_file_name_check CHECK (length(btrim(file_name)) BETWEEN 1 AND 255),
    CONSTRAINT patient_documents_description_check CHECK (description IS NULL OR length(description) <= 500),
    CONSTRAINT patient_documents_size_check CHECK (octet_length(content) BETWEEN 1 AND 104857600),
    CONSTRAINT patient_documents_content_type_check CHECK (
        (content_type = 'application/pdf' AND substring(content FROM 1 FOR 5) = '\x255044462d'::bytea)          -- %PDF-
     OR (content_type = 'image/png'       AND substring(content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea)    -- PNG signature
     OR (content_type = 'image/jpeg'      AND substring(content FROM 1 FOR 3) = '\xffd8ff'::bytea)              -- JPEG SOI + marker
    )
);

ALTER TABLE patient_documents ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE INDEX patient_documents_patient_idx ON patient_documents (patient_id, created_at DESC, id DESC);
CREATE INDEX patient_documents_record_idx  ON patient_documents (medical_record_id) WHERE medical_record_id IS NOT NULL;

COMMENT ON TABLE patient_documents IS
    'PDFs and images on a patient''s record (uploaded by the patient or attached by a doctor), content in bytea '
    '(see 103_patient_documents.sql for why not large objects). Every download is audited as document_download.';
