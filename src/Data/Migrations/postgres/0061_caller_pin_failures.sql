-- Wrong PINs keyed from one trusted calling number across calls and accounts (the platform's own limit, whichever back
-- office checks the PINs): the count since the window's first wrong PIN. A number with 10 in its 24 hours is refused
-- PIN checks until the window ends. Rows whose window ended are pruned.
CREATE TABLE ivr_caller_pin_failures (
    number           TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    window_start_ms  BIGINT NOT NULL
);

CREATE INDEX ivr_caller_pin_failures_window ON ivr_caller_pin_failures (window_start_ms);

-- When an unknown account number was last tried, so its row can be pruned once it is old and not locked (0 for rows
-- from before: pruned at the first prune unless locked).
ALTER TABLE bo_unknown_pin_failures ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
