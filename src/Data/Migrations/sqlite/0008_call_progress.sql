-- A call in progress keeps what is known of it as it becomes known (issue 12, part 6): the record
-- so far as JSON (tier, queue, agent, answer, legs, recording), when that was last written, and
-- when the platform last said it was alive. A crashed process's calls are closed from these.
ALTER TABLE calls_open ADD COLUMN progress TEXT NULL;
ALTER TABLE calls_open ADD COLUMN updated_at_ms BIGINT NULL;
ALTER TABLE calls_open ADD COLUMN alive_at_ms BIGINT NULL;
