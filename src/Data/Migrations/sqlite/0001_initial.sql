-- Hotline numbers the platform answers, agents with their SIP credentials (digest HA1 only,
-- never the password), desk users, the client directory and the registrar's bindings.
-- Times are Unix milliseconds (design: the same SQL on SQLite and PostgreSQL).

CREATE TABLE hotlines (
    number      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('ivr', 'vip'))
);

CREATE TABLE agents (
    extension       TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    sip_realm       TEXT NOT NULL,
    sip_ha1_md5     TEXT NOT NULL,
    sip_ha1_sha256  TEXT NOT NULL
);

CREATE TABLE desk_users (
    login            TEXT PRIMARY KEY,
    role             TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    password_hash    TEXT NOT NULL,
    agent_extension  TEXT NULL REFERENCES agents (extension)
);

CREATE TABLE clients (
    phone              TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    account_masked     TEXT NOT NULL,
    tier               TEXT NOT NULL,
    manager_extension  TEXT NULL REFERENCES agents (extension),
    language           TEXT NOT NULL,
    branch             TEXT NOT NULL
);

CREATE TABLE sip_bindings (
    aor                     TEXT NOT NULL,
    contact_key             TEXT NOT NULL,
    contact_scheme          TEXT NOT NULL,
    contact_user            TEXT NULL,
    contact_host            TEXT NOT NULL,
    contact_port            INTEGER NULL,
    contact_transport       TEXT NULL,
    contact_uri_parameters  TEXT NULL,
    source_transport        TEXT NOT NULL,
    source_address          TEXT NOT NULL,
    source_port             INTEGER NOT NULL,
    call_id                 TEXT NOT NULL,
    cseq                    BIGINT NOT NULL,
    q                       REAL NULL,
    expires_at_ms           BIGINT NOT NULL,
    updated_at_ms           BIGINT NOT NULL,
    PRIMARY KEY (aor, contact_key)
);

CREATE INDEX sip_bindings_expires ON sip_bindings (expires_at_ms);
