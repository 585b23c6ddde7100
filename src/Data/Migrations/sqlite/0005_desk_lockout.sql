-- Desk sign-in lockout: wrong passwords in a row, and until when (Unix ms) the login is locked.
ALTER TABLE desk_users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE desk_users ADD COLUMN locked_until_ms BIGINT NULL;
