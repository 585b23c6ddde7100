-- The built-in back office (issue 14, src/BackOffice): fund accounts with their trading PIN's salted
-- PBKDF2 hash (never the PIN), positions, orders and trades of the built-in counter, bank links
-- (银证转账) with the simulated bank balance, transfers, quotes, PIN failures and locks, the
-- idempotency keys of call steps, and an audit. Money and prices are integer fen (0.01 CNY).
CREATE TABLE bo_accounts (
    account     TEXT PRIMARY KEY,
    phone       TEXT NOT NULL,
    pin_hash    TEXT NOT NULL,
    cash_fen    BIGINT NOT NULL CHECK (cash_fen >= 0),
    frozen_fen  BIGINT NOT NULL DEFAULT 0 CHECK (frozen_fen >= 0 AND frozen_fen <= cash_fen)
);
CREATE INDEX bo_accounts_phone ON bo_accounts (phone);

CREATE TABLE bo_quotes (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    last_fen            BIGINT NOT NULL CHECK (last_fen > 0),
    previous_close_fen  BIGINT NOT NULL CHECK (previous_close_fen > 0)
);

-- frozen: shares held by open sell orders.
CREATE TABLE bo_positions (
    account   TEXT NOT NULL REFERENCES bo_accounts (account),
    code      TEXT NOT NULL REFERENCES bo_quotes (code),
    quantity  BIGINT NOT NULL CHECK (quantity >= 0),
    frozen    BIGINT NOT NULL DEFAULT 0 CHECK (frozen >= 0 AND frozen <= quantity),
    PRIMARY KEY (account, code)
);

-- side: buy | sell; status: open | filled | cancelled.
CREATE TABLE bo_orders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account       TEXT NOT NULL REFERENCES bo_accounts (account),
    code          TEXT NOT NULL REFERENCES bo_quotes (code),
    side          TEXT NOT NULL,
    price_fen     BIGINT NOT NULL CHECK (price_fen > 0),
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    status        TEXT NOT NULL,
    placed_at_ms  BIGINT NOT NULL,
    closed_at_ms  BIGINT NULL
);
CREATE INDEX bo_orders_account ON bo_orders (account, placed_at_ms);

CREATE TABLE bo_trades (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   BIGINT NOT NULL REFERENCES bo_orders (id),
    account    TEXT NOT NULL REFERENCES bo_accounts (account),
    code       TEXT NOT NULL,
    side       TEXT NOT NULL,
    price_fen  BIGINT NOT NULL,
    quantity   BIGINT NOT NULL,
    at_ms      BIGINT NOT NULL
);
CREATE INDEX bo_trades_account ON bo_trades (account, at_ms);

CREATE TABLE bo_bank_links (
    account      TEXT NOT NULL REFERENCES bo_accounts (account),
    bank_code    TEXT NOT NULL,
    bank_name    TEXT NOT NULL,
    card_masked  TEXT NOT NULL,
    balance_fen  BIGINT NOT NULL CHECK (balance_fen >= 0),
    PRIMARY KEY (account, bank_code)
);

-- direction: in (bank → brokerage) | out (brokerage → bank); day: yyyy-MM-dd in BackOffice:TimeZone.
CREATE TABLE bo_transfers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL REFERENCES bo_accounts (account),
    direction   TEXT NOT NULL,
    amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
    bank_code   TEXT NOT NULL,
    day         TEXT NOT NULL,
    at_ms       BIGINT NOT NULL
);
CREATE INDEX bo_transfers_account ON bo_transfers (account, day);

-- Wrong PINs in a row, and the lock they led to; counted across calls and restarts.
CREATE TABLE bo_pin_failures (
    account          TEXT PRIMARY KEY REFERENCES bo_accounts (account),
    failures         BIGINT NOT NULL,
    locked_until_ms  BIGINT NULL
);

-- One row per call step that changed something: a repeated key returns result and changes nothing.
CREATE TABLE bo_requests (
    idempotency_key  TEXT PRIMARY KEY,
    action           TEXT NOT NULL,
    account          TEXT NOT NULL,
    request          TEXT NOT NULL,
    result           TEXT NOT NULL,
    at_ms            BIGINT NOT NULL
);

-- Every action by phone, refused ones too; detail never holds a PIN.
CREATE TABLE bo_audit (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms            BIGINT NOT NULL,
    action           TEXT NOT NULL,
    account          TEXT NOT NULL,
    call_id          TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    recording        TEXT NULL,
    outcome          TEXT NOT NULL,
    detail           TEXT NOT NULL
);
CREATE INDEX bo_audit_account ON bo_audit (account, at_ms);
