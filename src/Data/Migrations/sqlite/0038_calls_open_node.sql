-- Issue 19: nodes of a cluster may share one database. A call's open row names the node that
-- answered it, so that a node starting up closes as "interrupted" only the calls it left open
-- itself (or rows from before this column), never another node's live calls. NULL: a single
-- platform, which owns every open row.
ALTER TABLE calls_open ADD COLUMN node_id TEXT NULL;
