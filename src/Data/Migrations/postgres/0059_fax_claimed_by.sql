-- Which node holds an outbound fax's claim (its Cluster:NodeId, or the machine's name on a single platform): written
-- when the fax worker claims a row "sending" (a call) or "rendering" (a render), with updated_at_ms the claim's time,
-- so that a node that starts queues again only the faxes it held itself, never a call or render another live node on
-- the same database is in the middle of. NULL on rows claimed before this column existed (a start queues those again,
-- as before) and on rows never claimed.
ALTER TABLE faxes ADD COLUMN claimed_by TEXT NULL;
