-- Files sent with an outbox e-mail (issue 13: "MIME with attachments"), written in the message's
-- transaction and read when the worker claims it. Removed with nothing: a message is never deleted.
CREATE TABLE message_attachments (
    message_id    TEXT NOT NULL REFERENCES messages (id),
    seq           INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    content       BYTEA NOT NULL,
    PRIMARY KEY (message_id, seq)
);
