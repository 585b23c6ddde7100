-- Issue 19: one ACD for the whole cluster. Each agent's state as the cluster sees it, one row per agent,
-- written by the node whose presence changed it (node) and refreshed by that node every second (seen_ms);
-- a node claims an available agent for a call with one conditional UPDATE (status 'available' to
-- 'offered'), so two nodes can never offer one agent two calls at once.
CREATE TABLE cluster_agents (
    extension TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    status TEXT NOT NULL,
    call_id TEXT NULL,
    since_ms BIGINT NOT NULL,
    seen_ms BIGINT NOT NULL,
    skills TEXT NOT NULL,
    calls_today INTEGER NOT NULL
);

-- Every node's waiting callers, written by the node holding the call (its ACD's entries, refreshed every
-- round); the leader sets agent (and explanation) on the rows it routes, and the holding node takes them.
CREATE TABLE cluster_waiting (
    call_id TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    queue TEXT NOT NULL,
    tier TEXT NULL,
    language TEXT NULL,
    skills TEXT NOT NULL,
    entered_ms BIGINT NOT NULL,
    account_manager TEXT NULL,
    priority_hint INTEGER NOT NULL,
    hold_until_ms BIGINT NULL,
    risk_notice BOOLEAN NOT NULL,
    seen_ms BIGINT NOT NULL,
    agent TEXT NULL,
    explanation TEXT NULL
);

CREATE INDEX cluster_waiting_node ON cluster_waiting (node);
