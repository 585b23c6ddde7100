-- Broadcasts (issue 13): templates, the facts audiences are chosen by (subscriptions, birthdays),
-- each broadcast with the outbox messages it made, and schedules. The messages themselves are
-- ordinary outbox rows (0009): a broadcast's progress is their statuses.
CREATE TABLE broadcast_templates (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    channel        TEXT NOT NULL,
    body_zh        TEXT NOT NULL,
    body_en        TEXT NULL,
    created_at_ms  BIGINT NOT NULL
);

-- Topics a client asked for (for example morning-note); an SMS opt-out (sms_opt_outs) still wins.
CREATE TABLE client_subscriptions (
    phone  TEXT NOT NULL REFERENCES clients (phone),
    topic  TEXT NOT NULL,
    PRIMARY KEY (phone, topic)
);

-- yyyy-MM-dd
CREATE TABLE client_birthdays (
    phone     TEXT PRIMARY KEY REFERENCES clients (phone),
    birthday  TEXT NOT NULL
);

-- request_key: the Idempotency-Key of the POST that made it, or schedule:<id>:<due>, so a retried
-- request or a schedule run by two nodes makes one broadcast.
CREATE TABLE broadcasts (
    id             TEXT PRIMARY KEY,
    request_key    TEXT NULL UNIQUE,
    template_id    TEXT NOT NULL REFERENCES broadcast_templates (id),
    audience       TEXT NOT NULL,
    risk_notice    INTEGER NOT NULL,
    requested_by   TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    starts_at_ms   BIGINT NOT NULL,
    audience_size  INTEGER NOT NULL,
    queued         INTEGER NOT NULL,
    skipped        TEXT NOT NULL
);

CREATE TABLE broadcast_messages (
    message_id    TEXT PRIMARY KEY,
    broadcast_id  TEXT NOT NULL REFERENCES broadcasts (id)
);

CREATE INDEX broadcast_messages_broadcast ON broadcast_messages (broadcast_id);

CREATE TABLE broadcast_schedules (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    cron               TEXT NOT NULL,
    trading_days_only  INTEGER NOT NULL,
    template_id        TEXT NOT NULL REFERENCES broadcast_templates (id),
    audience           TEXT NOT NULL,
    risk_notice        INTEGER NOT NULL,
    next_run_at_ms     BIGINT NULL,
    last_run_at_ms     BIGINT NULL,
    last_broadcast_id  TEXT NULL,
    created_at_ms      BIGINT NOT NULL
);
