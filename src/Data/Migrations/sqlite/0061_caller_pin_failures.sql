-- Wrong PINs keyed from one trusted calling number across calls and accounts (the platform's own limit, whichever back
-- office checks the PINs): the count since the window's first wrong PIN. A number with 10 in its 24 hours is refused
-- PIN checks until the window ends. Rows whose window ended are pruned.
CREATE TABLE ivr_caller_pin_failures (
    number           TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    window_start_ms  BIGINT NOT NULL
);

CREATE INDEX ivr_caller_pin_failures_window ON ivr_caller_pin_failures (window_start_ms);

-- When an account's (or an unknown account number's) count of wrong PINs last changed: a count left a week with no lock
-- running is forgotten, for both alike, and an unknown number's row is then pruned (it answers as no row would). Rows
-- from before get 0: their counts are forgotten unless a lock is running.
ALTER TABLE bo_pin_failures ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bo_unknown_pin_failures ADD COLUMN updated_at_ms BIGINT NOT NULL DEFAULT 0;
