-- Recordings for supervisors (issue 17): what became of a call's recording after the call.
-- recording_deleted_at_ms / recording_deleted_by: the retention job removed the file (by 'retention'),
-- the path and SHA-256 stay as they were written. recording_flag: the file no longer matches its
-- SHA-256 ('hash-mismatch') and is refused until someone looks; recording_flagged_at_ms: when found.
ALTER TABLE calls ADD COLUMN recording_deleted_at_ms BIGINT NULL;
ALTER TABLE calls ADD COLUMN recording_deleted_by TEXT NULL;
ALTER TABLE calls ADD COLUMN recording_flag TEXT NULL;
ALTER TABLE calls ADD COLUMN recording_flagged_at_ms BIGINT NULL;
CREATE INDEX calls_agent_started ON calls (agent, started_at_ms);
