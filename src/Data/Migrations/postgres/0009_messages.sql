-- The messaging outbox (issue 13): every outbound SMS or e-mail is a row here before anything is sent,
-- written in the transaction of whatever caused it; a worker sends due rows and records each step.
-- in_flight_at_ms is set while a send is under way: a row a killed process left in flight is not
-- sent again until its delivery report has had time to arrive (src/FaxSms/README.md).
CREATE TABLE messages (
    id                  TEXT PRIMARY KEY,
    channel             TEXT NOT NULL,
    recipient           TEXT NOT NULL,
    subject             TEXT NULL,
    body                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL,
    next_attempt_at_ms  BIGINT NOT NULL,
    in_flight_at_ms     BIGINT NULL,
    last_error          TEXT NULL,
    created_at_ms       BIGINT NOT NULL,
    updated_at_ms       BIGINT NOT NULL
);

CREATE INDEX messages_due ON messages (status, next_attempt_at_ms);

-- Every status a message went through, with the reason (a failure's cause, a delivery report's code).
CREATE TABLE message_history (
    seq         BIGSERIAL PRIMARY KEY,
    message_id  TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    status      TEXT NOT NULL,
    detail      TEXT NULL
);

CREATE INDEX message_history_message ON message_history (message_id, seq);

-- Numbers that sent an opt-out keyword (TD, 退订, STOP): no SMS but the confirmation goes to them.
CREATE TABLE sms_opt_outs (
    number      TEXT PRIMARY KEY,
    keyword     TEXT NOT NULL,
    at_ms       BIGINT NOT NULL
);

-- Inbound SMS as the gateway handed them over, once each (gateway_id is the gateway's own id), with
-- what was done with them; a malformed one is kept with the reason for an operator.
CREATE TABLE inbound_sms (
    seq          BIGSERIAL PRIMARY KEY,
    gateway_id   TEXT NOT NULL UNIQUE,
    sender       TEXT NOT NULL,
    receiver     TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT NULL
);
