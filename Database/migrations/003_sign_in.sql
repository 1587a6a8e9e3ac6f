-- Sign-in: ASP.NET Core Data Protection keys kept in PostgreSQL, so a restart or a second
-- portal instance can still read the cookies and antiforgery tokens the others issued.
-- (users.failed_login_attempts / locked_until and the sessions table come with 001.)

CREATE TABLE data_protection_keys (
    id            SERIAL PRIMARY KEY,
    friendly_name TEXT NOT NULL UNIQUE,
    xml           TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT data_protection_keys_xml_not_blank_check CHECK (btrim(xml) <> '')
);

COMMENT ON TABLE data_protection_keys IS
    'ASP.NET Core Data Protection key ring shared by every portal instance. Deleting a key signs everyone out.';
