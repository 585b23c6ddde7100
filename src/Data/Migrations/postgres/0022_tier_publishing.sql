-- Issue 18: a quarter's review is published. Each review keeps how many clients each tier had
-- before and after it (JSON objects, tier name -> count) and how many client notices it queued in
-- the outbox (written in the review's own transaction, so a review and its notices exist together).
ALTER TABLE tier_reviews ADD COLUMN tiers_before TEXT NULL;
ALTER TABLE tier_reviews ADD COLUMN tiers_after TEXT NULL;
ALTER TABLE tier_reviews ADD COLUMN notices INTEGER NOT NULL DEFAULT 0;

-- An account manager need not be a hotline agent (in brokerages they are often branch sales
-- staff): such a manager is a name and a phone only. A client names either an agent
-- (manager_extension) or a person outside the hotline (manager_name, manager_phone), never both.
ALTER TABLE clients ADD COLUMN manager_name TEXT NULL;
ALTER TABLE clients ADD COLUMN manager_phone TEXT NULL;
