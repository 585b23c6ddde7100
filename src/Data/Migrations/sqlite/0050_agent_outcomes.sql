-- Issue 15: an agent records a callback's or list call's outcome with the wrap-up code: wrong-number (the code
-- of migration 0006) or refused (the client would not take the call). Either fails the callback and its list
-- entry for good (Callbacks:WrongNumberCode, Callbacks:RefusedCode); kept as it is where an admin made a code
-- of this name.
INSERT INTO disposition_codes (code, label_zh, label_en, sort_order) VALUES
    ('refused', '客户拒绝通话', 'Client refused the call', 71)
ON CONFLICT (code) DO NOTHING;

-- The wrap-up names the call; the callback is found by its last attempt's call id.
CREATE INDEX callbacks_last_call ON callbacks (last_call_id);
