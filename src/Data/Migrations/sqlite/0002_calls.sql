-- One record per call, written once when the call ends (ivr_path is a JSON array of node ids).
CREATE TABLE calls (
    id                TEXT PRIMARY KEY,
    caller            TEXT NOT NULL,
    dialed            TEXT NOT NULL,
    tier              TEXT NULL,
    ivr_path          TEXT NOT NULL,
    queue             TEXT NULL,
    agent             TEXT NULL,
    started_at_ms     BIGINT NOT NULL,
    ended_at_ms       BIGINT NOT NULL,
    wait_seconds      REAL NOT NULL,
    talk_seconds      REAL NOT NULL,
    disposition       TEXT NOT NULL,
    recording         TEXT NULL,
    recording_sha256  TEXT NULL
);

CREATE INDEX calls_started ON calls (started_at_ms);
