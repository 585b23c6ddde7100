-- Issue 19 (review of the cluster ACD): what an agent asked to do after their call (a break, offline), on the shared
-- row, so it no longer lives only in the process holding the call. after_call is 'break', 'offline' or 'available'
-- (nothing pending any more), with its reason. Written by the node holding the call (its agent's pending state) and
-- by a node where the state was asked for while another node held the call; the holding node applies it, and when
-- that node dies or restarts, the leader's freeing of its agents (or its own reset) applies it instead.
ALTER TABLE cluster_agents ADD COLUMN after_call TEXT;
ALTER TABLE cluster_agents ADD COLUMN after_call_reason TEXT;
