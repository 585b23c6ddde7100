-- Issue 19 (review of the cluster ACD): the leader's fencing token and the node ids in use.
-- cluster_lease: one row; each node that takes the leader lease bumps token before it routes, and every assignment
-- checks, in its own transaction (FOR SHARE), that the token is still the one its leader took: a leader deposed
-- mid-round can no longer assign once its successor bumped it.
CREATE TABLE cluster_lease (
    id INTEGER PRIMARY KEY,
    token BIGINT NOT NULL,
    node TEXT NOT NULL
);

INSERT INTO cluster_lease (id, token, node) VALUES (1, 0, '');

-- cluster_nodes: one row per Cluster:NodeId, held by the process (instance, random per start) that refreshes it
-- (seen_ms): a second live process with the same id cannot take it and reports the clash.
CREATE TABLE cluster_nodes (
    node TEXT PRIMARY KEY,
    instance TEXT NOT NULL,
    seen_ms BIGINT NOT NULL
);
