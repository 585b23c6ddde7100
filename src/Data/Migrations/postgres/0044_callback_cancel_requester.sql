-- Issue 15: who asked for a callback (the caller's number for a queue key or an overflow, the agent or
-- user for the desk and the API), so that a caller's pending queue callbacks can be capped
-- (Callbacks:MaxPendingPerNumber); and who cancelled a callback and when (status 'cancelled').
ALTER TABLE callbacks ADD COLUMN requested_by TEXT NULL;
ALTER TABLE callbacks ADD COLUMN cancelled_by TEXT NULL;
ALTER TABLE callbacks ADD COLUMN cancelled_at_ms BIGINT NULL;
