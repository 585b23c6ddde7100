-- Dialling modes for call lists (issue 15 part 5). mode: progressive (each entry booked as a callback in
-- the list's queue: the next free agent with the queue's skills is rung, then the client) or preview (an
-- agent asks for the next entry at the desk, sees it, and dials or skips it).
ALTER TABLE call_lists ADD COLUMN mode TEXT NOT NULL DEFAULT 'progressive';

-- A preview entry held for one agent (status previewing): who and since when; an agent who leaves or
-- lets it lie gives it back. skips and skip_reason: the agents' skips, the last one's reason.
-- next_attempt_at_ms: an open entry is not offered before then (a retry's delay, a skip's pause).
ALTER TABLE call_list_entries ADD COLUMN preview_agent TEXT NULL;
ALTER TABLE call_list_entries ADD COLUMN preview_at_ms BIGINT NULL;
ALTER TABLE call_list_entries ADD COLUMN next_attempt_at_ms BIGINT NULL;
ALTER TABLE call_list_entries ADD COLUMN skips INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_list_entries ADD COLUMN skip_reason TEXT NULL;

-- A new-account call's answer from the agent's wrap-up (CallLists:ConfirmedCode / DeniedCode): the
-- two codes the desk offers for it (kept as they are where an admin made codes of these names).
INSERT INTO disposition_codes (code, label_zh, label_en, sort_order) VALUES
    ('manager-confirmed', '客户确认客户经理', 'Account manager confirmed', 80),
    ('manager-denied', '客户否认客户经理', 'Account manager denied', 81)
ON CONFLICT (code) DO NOTHING;

-- An outbound call's record names what it was for (issue 15 part 6): the call list and entry, which
-- attempt it was (1 for the first), and its outcome (reached, no-answer, busy, wrong-number, refused,
-- agent-left, ...). A callback's row names its entry's list.
ALTER TABLE callbacks ADD COLUMN list_id TEXT NULL;
ALTER TABLE calls ADD COLUMN list_id TEXT NULL;
ALTER TABLE calls ADD COLUMN list_entry_id TEXT NULL;
ALTER TABLE calls ADD COLUMN attempt BIGINT NULL;
ALTER TABLE calls ADD COLUMN outcome TEXT NULL;
