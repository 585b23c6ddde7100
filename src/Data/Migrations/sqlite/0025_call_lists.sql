-- Outbound compliance (issue 15 parts 4-6): the do-not-call list, compliance call lists and their
-- entries, and what a list's callback carries of its list.

-- A number the platform never calls (callbacks, list calls, click-to-dial), in its E.164 form as the
-- dial plan gives it; a refused call names the reason stored here.
CREATE TABLE do_not_call (
    number       TEXT PRIMARY KEY,
    reason       TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    added_at_ms  BIGINT NOT NULL
);

-- A call list: what kind of obligation it is (general, new-account, complaint, core-client,
-- risk-notice), the queue whose agents take its calls, and its retry rules.
CREATE TABLE call_lists (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    queue           TEXT NOT NULL,
    max_attempts    INTEGER NOT NULL,
    retry_seconds   INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);

-- One client to call on a list, by its deadline (due_by_ms). status: open (not called yet, or waiting
-- for a retry), calling (its callback is in a queue or ringing), reached, failed (every attempt used
-- or a wrong number), refused (do-not-call or a number the dial plan refuses: never dialled).
-- confirmation: for a new-account call, what the client said of their account manager (confirmed,
-- denied: the relationship is flagged for removal with the call's recording as evidence).
-- notice_*: a risk notice's proof (the SMS sent as the second channel, when and by whom).
CREATE TABLE call_list_entries (
    id                  TEXT PRIMARY KEY,
    list_id             TEXT NOT NULL,
    number              TEXT NOT NULL,
    client_name         TEXT NULL,
    account_manager     TEXT NULL,
    note                TEXT NULL,
    due_by_ms           BIGINT NOT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    outcome             TEXT NULL,
    reason              TEXT NULL,
    callback_id         TEXT NULL,
    last_call_id        TEXT NULL,
    confirmation        TEXT NULL,
    confirmed_by        TEXT NULL,
    escalated_at_ms     BIGINT NULL,
    notice_message_id   TEXT NULL,
    notice_sent_at_ms   BIGINT NULL,
    created_at_ms       BIGINT NOT NULL,
    updated_at_ms       BIGINT NOT NULL
);
CREATE INDEX call_list_entries_list ON call_list_entries (list_id, status);

-- A list's call is a callback with the list's retry rules; the entry hears each attempt.
ALTER TABLE callbacks ADD COLUMN list_entry_id TEXT NULL;
ALTER TABLE callbacks ADD COLUMN max_attempts INTEGER NULL;
ALTER TABLE callbacks ADD COLUMN retry_seconds INTEGER NULL;
ALTER TABLE callbacks ADD COLUMN risk_notice INTEGER NOT NULL DEFAULT 0;
