-- Wrong PINs in a row for account numbers the back office does not know, and the lock they lead to, exactly as
-- bo_pin_failures counts them for real accounts: a caller who keys an unknown number three times is told it is
-- locked, as for a real account, so a lock does not tell that an account exists. No reference to bo_accounts.
CREATE TABLE bo_unknown_pin_failures (
    account          TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    locked_until_ms  BIGINT NULL
);
