-- Issue 18: after a quarter's review each account manager gets the list of their clients whose tier
-- changed, through the outbox (Tiers:ManagerNotices: sms or email). A manager who is a hotline agent
-- is reached at the agent's mobile or e-mail address (PUT /api/admin/agents/{extension}/contact);
-- one outside the hotline at clients.manager_phone. The review keeps how many it queued.
ALTER TABLE agents ADD COLUMN mobile TEXT NULL;
ALTER TABLE agents ADD COLUMN email TEXT NULL;
ALTER TABLE tier_reviews ADD COLUMN manager_notices INTEGER NOT NULL DEFAULT 0;
