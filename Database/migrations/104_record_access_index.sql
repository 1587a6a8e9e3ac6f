-- =============================================================================
-- 104_record_access_index.sql
-- "Who looked at my record" (/patient/record-access): one patient's chart
-- openings, emergency (break-glass) reads, FHIR reads and document downloads,
-- newest first, a page at a time by keyset on id. The patient is entity_id for
-- the chart reads (entity_type 'patient') and new_values->>'patientId' for a
-- document download (entity_type 'patient_documents'). Without this index the
-- lookup walks audit_log by action and time and filters every chart view of
-- the clinic; with it, it reads only the patient's own rows (EXPLAIN in the
-- record-access tests' notes, docs/architecture.md "Who looked at my record").
-- The expression must stay the same as RecordAccessLog.PageSql's.
-- =============================================================================

CREATE INDEX audit_log_record_access_idx
    ON audit_log ((CASE WHEN action = 'document_download' THEN new_values->>'patientId'
                        WHEN entity_type = 'patient' THEN entity_id END), id DESC)
    WHERE action IN ('chart_view', 'break_glass_chart_read', 'fhir_read', 'document_download');
