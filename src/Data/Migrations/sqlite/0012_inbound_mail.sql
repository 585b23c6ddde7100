-- Inbound e-mail (issue 13 part 4): the IMAP mailbox's position, each mail read from it, and the
-- threading headers of outbound mail.

-- A client's e-mail address: an inbound mail is matched to its client by the sender's address.
ALTER TABLE clients ADD COLUMN email TEXT NULL;

CREATE INDEX clients_email ON clients (email);

-- Outbound mail that answers another: In-Reply-To and References (RFC 5322 section 3.6.4).
ALTER TABLE messages ADD COLUMN in_reply_to TEXT NULL;

ALTER TABLE messages ADD COLUMN reference_ids TEXT NULL;

-- Where the reader stands in each mailbox: UIDs are only meaningful with their UIDVALIDITY
-- (RFC 3501 section 2.3.1.1), so both are kept and a new UIDVALIDITY starts the reading again.
CREATE TABLE imap_state (
    mailbox        TEXT PRIMARY KEY,
    uid_validity   BIGINT NOT NULL,
    last_uid       BIGINT NOT NULL,
    updated_at_ms  BIGINT NOT NULL
);

-- Every mail read, once (unique on Message-ID and on its UID): a client's mail is a task routed to an
-- agent with the email skill (waiting, offered, closed); an automatic reply or bounce is kept as
-- "ignored" and a mail that cannot be used as "malformed", each with the reason, for an operator.
CREATE TABLE email_tasks (
    id              TEXT PRIMARY KEY,
    mailbox         TEXT NOT NULL,
    uid_validity    BIGINT NOT NULL,
    uid             BIGINT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    sender          TEXT NOT NULL,
    sender_name     TEXT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    in_reply_to     TEXT NULL,
    reference_ids   TEXT NULL,
    client_phone    TEXT NULL,
    tier            TEXT NULL,
    tier_rank       INTEGER NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT NULL,
    agent           TEXT NULL,
    reply_id        TEXT NULL,
    ack_id          TEXT NULL,
    received_at_ms  BIGINT NOT NULL,
    offered_at_ms   BIGINT NULL,
    closed_at_ms    BIGINT NULL,
    UNIQUE (mailbox, uid_validity, uid)
);

CREATE INDEX email_tasks_status ON email_tasks (status, tier_rank, received_at_ms);

-- A task's attachments; content is NULL when the part was over the size limit (size says how big).
CREATE TABLE email_attachments (
    task_id       TEXT NOT NULL REFERENCES email_tasks (id),
    seq           INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    content       BLOB NULL,
    PRIMARY KEY (task_id, seq)
);
