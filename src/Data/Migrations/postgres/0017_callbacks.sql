-- Callbacks (issue 15): a caller in a queue who pressed 1, a full queue's overflow, or a supervisor
-- through /api/callbacks asks to be called back. The row is written before the caller hears that it
-- is booked; it keeps the moment the caller first queued (requested_at_ms) so the callback keeps its
-- place and tier in the queue, and it lives until a final outcome: completed (the client was
-- reached and bridged to an agent) or failed (every attempt used, or the number became unusable).
-- status: scheduled (waiting for due_at_ms), queued (in its queue, or waiting for next_attempt_at_ms
-- after a failed attempt), calling (an agent has it and the client is being rung), completed, failed,
-- cancelled.
CREATE TABLE callbacks (
    id                  TEXT PRIMARY KEY,
    number              TEXT NOT NULL,
    queue               TEXT NOT NULL,
    tier                TEXT NULL,
    language            TEXT NOT NULL,
    account_manager     TEXT NULL,
    source              TEXT NOT NULL,
    origin_call_id      TEXT NULL,
    requested_at_ms     BIGINT NOT NULL,
    due_at_ms           BIGINT NULL,
    next_attempt_at_ms  BIGINT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    outcome             TEXT NULL,
    last_call_id        TEXT NULL,
    updated_at_ms       BIGINT NOT NULL
);
CREATE INDEX callbacks_open ON callbacks (status);

-- Calls the platform places (callbacks today, list calls later) are records like inbound ones.
ALTER TABLE calls ADD COLUMN direction TEXT NOT NULL DEFAULT 'inbound';
