-- Documents asked for from the hotline's documents menu (文字回复): one row per request, written in
-- the transaction that queues the message (SMS, e-mail: the outbox row) or right after the fax is
-- queued, so the audit names the call, its recording and what went where. The recipient and the
-- account are kept masked; request_key (<callId>:<step>) makes a repeated step queue nothing more.
CREATE TABLE document_requests (
    id                TEXT PRIMARY KEY,
    request_key       TEXT NOT NULL UNIQUE,
    call_id           TEXT NOT NULL,
    recording         TEXT NULL,
    document          TEXT NOT NULL CHECK (document IN ('research-note', 'statement')),
    channel           TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'fax')),
    recipient_masked  TEXT NOT NULL,
    account_masked    TEXT NULL,
    created_at_ms     BIGINT NOT NULL
);
CREATE INDEX document_requests_call ON document_requests (call_id);
