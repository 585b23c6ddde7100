-- Faxes, both ways (src/FaxSms/Fax): one row per fax received on Fax:Number or sent through
-- POST /api/faxes. Inbound rows are written when the fax call is answered ("receiving") and
-- completed with the T.30 result; outbound rows are the fax outbox ("queued", claimed as "sending",
-- retried while attempts remain). Files (TIFF-F and PDF) live under Fax:Directory.
CREATE TABLE faxes (
    id                  TEXT PRIMARY KEY,
    direction           TEXT NOT NULL,
    status              TEXT NOT NULL,
    remote              TEXT NOT NULL,
    local_number        TEXT NOT NULL,
    call_id             TEXT,
    pages               INTEGER NOT NULL DEFAULT 0,
    document_pages      INTEGER,
    bit_rate            INTEGER NOT NULL DEFAULT 0,
    ecm                 INTEGER NOT NULL DEFAULT 0,
    result_code         INTEGER,
    result_text         TEXT,
    tiff_path           TEXT,
    pdf_path            TEXT,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  BIGINT,
    created_at_ms       BIGINT NOT NULL,
    updated_at_ms       BIGINT NOT NULL
);
CREATE INDEX faxes_direction_created ON faxes (direction, created_at_ms);
CREATE INDEX faxes_due ON faxes (status, next_attempt_at_ms);
