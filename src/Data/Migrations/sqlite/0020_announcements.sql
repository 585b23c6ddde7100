-- Announcements (信息发布) the hotline's notices menu plays (src/Notices): an admin uploads a recording
-- or types a text spoken by espeak-ng when saved; either way the audio kept is 8 kHz mono 16-bit
-- linear PCM (little-endian, no header), ready for G.711. Played between starts_at and ends_at, in
-- its language. A deleted one keeps its row (deleted_at_ms) for the record. seed_key marks the demo's.
CREATE TABLE announcements (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    source         TEXT NOT NULL CHECK (source IN ('recording', 'text')),
    text           TEXT NULL,
    audio          BLOB NOT NULL,
    samples        BIGINT NOT NULL CHECK (samples > 0),
    starts_at_ms   BIGINT NOT NULL,
    ends_at_ms     BIGINT NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    deleted_at_ms  BIGINT NULL,
    seed_key       TEXT NULL UNIQUE,
    CHECK (ends_at_ms > starts_at_ms)
);
CREATE INDEX announcements_current ON announcements (language, ends_at_ms);
