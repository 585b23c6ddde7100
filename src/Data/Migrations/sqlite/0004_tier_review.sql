-- The quarterly tier review (按季核定): its inputs, its append-only history and the quarters done.
-- Money is NUMERIC(18,2) on both databases (SQLite keeps up to 15 significant digits exactly and
-- reads back through CAST(... AS TEXT)); days are 'YYYY-MM-DD' text, months 'YYYY-MM'.

-- One client's month: the month's average daily equity (月日均权益), the fees paid, and the equity
-- at the month's end (the December row gives the year-end equity of the Dormant rule).
CREATE TABLE client_monthly_figures (
    phone             TEXT NOT NULL REFERENCES clients (phone),
    month             TEXT NOT NULL,
    average_equity    NUMERIC(18,2) NOT NULL,
    fees              NUMERIC(18,2) NOT NULL,
    month_end_equity  NUMERIC(18,2) NULL,
    PRIMARY KEY (phone, month)
);

-- The account facts the Effective and Dormant rules need, as of the last update.
CREATE TABLE client_accounts (
    phone          TEXT PRIMARY KEY REFERENCES clients (phone),
    opened_on      TEXT NOT NULL,
    last_trade_on  TEXT NULL,
    has_positions  INTEGER NOT NULL DEFAULT 0 CHECK (has_positions IN (0, 1))
);

-- Every tier change a review applied, never updated or deleted.
CREATE TABLE tier_changes (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    phone           TEXT NOT NULL,
    quarter         TEXT NOT NULL,
    old_tier        TEXT NULL,
    new_tier        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    decided_at_ms   BIGINT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('command', 'job'))
);

CREATE INDEX tier_changes_phone ON tier_changes (phone, seq);

-- One row per quarter applied: the primary key makes a second application of a quarter a no-op,
-- across restarts and between the command and the job.
CREATE TABLE tier_reviews (
    quarter         TEXT PRIMARY KEY,
    reviewed_at_ms  BIGINT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('command', 'job', 'seed')),
    clients         INTEGER NOT NULL,
    changes         INTEGER NOT NULL
);
