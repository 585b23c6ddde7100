-- A received fax is a task for supervisors (issue 16): new until someone marks it handled.
-- handled_at_ms / handled_by: when and by whom (a desk login, or 'api-key'); NULL while new.
-- Outbound faxes never carry them.
ALTER TABLE faxes ADD COLUMN handled_at_ms BIGINT NULL;
ALTER TABLE faxes ADD COLUMN handled_by TEXT NULL;

-- E-mail tasks routed like calls (issue 13): an offer is accepted by its agent (accepted_at_ms), or
-- taken back when the agent declines, does not accept in time or goes away; the task then waits again
-- and remembers who passed on it and when (passed_by, passed_at_ms; the reason in reason), so that it
-- goes to someone else first. offers counts how many times it was offered.
ALTER TABLE email_tasks ADD COLUMN accepted_at_ms BIGINT NULL;
ALTER TABLE email_tasks ADD COLUMN passed_by TEXT NULL;
ALTER TABLE email_tasks ADD COLUMN passed_at_ms BIGINT NULL;
ALTER TABLE email_tasks ADD COLUMN offers INTEGER NOT NULL DEFAULT 0;
