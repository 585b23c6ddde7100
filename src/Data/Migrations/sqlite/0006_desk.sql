-- The agent desk and the supervisor wallboard (issue 5).

-- Wrap-up: the disposition code the agent chose and their notes, on the call's record.
ALTER TABLE calls ADD COLUMN wrap_up_code TEXT NULL;
ALTER TABLE calls ADD COLUMN wrap_up_notes TEXT NULL;

-- The screen pop's last interactions of a caller and an agent's own call history.
CREATE INDEX calls_caller ON calls (caller, started_at_ms);
CREATE INDEX calls_agent ON calls (agent, started_at_ms);

-- A SIP extension is an agent (routed calls) or a supervisor's phone (called for listen, whisper
-- and barge, never offered a call).
ALTER TABLE agents ADD COLUMN kind TEXT NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'supervisor'));

-- Disposition codes an agent picks at wrap-up; admins edit them. The shipped set, in both languages.
CREATE TABLE disposition_codes (
    code        TEXT PRIMARY KEY,
    label_zh    TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO disposition_codes (code, label_zh, label_en, sort_order) VALUES
    ('resolved', '已解决', 'Resolved', 10),
    ('account-query', '账户查询', 'Account query', 20),
    ('order-help', '委托交易协助', 'Order help', 30),
    ('transfer-help', '银证转账协助', 'Bank transfer help', 40),
    ('complaint', '投诉', 'Complaint', 50),
    ('callback-needed', '需要回访', 'Callback needed', 60),
    ('wrong-number', '打错电话', 'Wrong number', 70);

-- Who did what at the desk: supervisors' actions (state changes, listen, whisper, barge), admins'
-- changes and refused requests (a forged hub call, an agent acting on another's call). Append-only.
CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms    BIGINT NOT NULL,
    actor    TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),
    detail   TEXT NULL
);

CREATE INDEX audit_log_at ON audit_log (at_ms);
