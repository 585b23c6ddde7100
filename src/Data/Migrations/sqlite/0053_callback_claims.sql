-- Issue 15: which node dials a callback now (claimed_by, its Cluster:NodeId) and when that node last said it
-- still does (claim_seen_ms, refreshed every second while the attempt lasts), so that a node that starts moves
-- back to its queue only the "calling" rows it claimed itself or whose node has gone quiet, never an attempt
-- another live node is dialling. And an agent's wrap-up outcome given while the attempt still lasts
-- (agent_outcome: wrong-number or refused, for the attempt agent_outcome_call), so a restart ends the callback
-- (and its list entry) as final rather than calling a wrong number again.
ALTER TABLE callbacks ADD COLUMN claimed_by TEXT NULL;
ALTER TABLE callbacks ADD COLUMN claim_seen_ms BIGINT NULL;
ALTER TABLE callbacks ADD COLUMN agent_outcome TEXT NULL;
ALTER TABLE callbacks ADD COLUMN agent_outcome_call TEXT NULL;

-- Each node refreshes its own claims every second.
CREATE INDEX callbacks_claimed ON callbacks (claimed_by, status);
