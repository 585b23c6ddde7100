-- Agents' skills, comma-separated ("zh,en,stocks"): the router offers a call only to an agent
-- with all of the call's skills (its queue's, its language).
ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT 'zh,en';

-- Call records gain the agent part of a call: when the caller entered the queue and was
-- answered, ring, hold and wrap-up times, every leg (JSON array) and why the agent was chosen.
ALTER TABLE calls ADD COLUMN queued_at_ms BIGINT NULL;
ALTER TABLE calls ADD COLUMN answered_at_ms BIGINT NULL;
ALTER TABLE calls ADD COLUMN ring_seconds DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN hold_seconds DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN wrap_up_seconds DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN legs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE calls ADD COLUMN routing TEXT NULL;

-- Calls in progress: a row from answer until the call's record is written. Rows a stopped
-- process left behind are closed as interrupted records at the next start.
CREATE TABLE calls_open (
    id             TEXT PRIMARY KEY,
    caller         TEXT NOT NULL,
    dialed         TEXT NOT NULL,
    started_at_ms  BIGINT NOT NULL
);

-- The append-only log of every state change of calls and agents (detail is JSON).
CREATE TABLE events (
    seq      BIGSERIAL PRIMARY KEY,
    at_ms    BIGINT NOT NULL,
    call_id  TEXT NULL,
    agent    TEXT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NULL
);

CREATE INDEX events_at ON events (at_ms);
CREATE INDEX events_call ON events (call_id);
