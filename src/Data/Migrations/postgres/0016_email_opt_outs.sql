-- Addresses that stopped e-mail broadcasts: by mail ("unsubscribe" / "退订" as the subject or the
-- first line, read from the IMAP mailbox) or by an operator through /api/email-opt-outs. The address
-- is the bare mailbox in lower case. A risk notice, an agent's reply and an acknowledgement still go.
CREATE TABLE email_opt_outs (
    address  TEXT PRIMARY KEY,
    keyword  TEXT NOT NULL,
    source   TEXT NOT NULL,
    at_ms    BIGINT NOT NULL
);
