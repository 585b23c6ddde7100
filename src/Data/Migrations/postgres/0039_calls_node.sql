-- Issue 19: nodes of a cluster may share one database. A call's record names the node that answered
-- it (as its open row does, 0038), so that each node's wallboard counts only its own calls, ended and
-- open, and the cluster's view adds the nodes up without counting a call twice. NULL: a single
-- platform, or a record from before this column.
ALTER TABLE calls ADD COLUMN node_id TEXT NULL;
