-- Desk sessions kept on the server (issue 12): the sign-in cookie names one, and every request checks that it
-- still exists, so sign-out and a new password (which delete it) end a copied cookie at once.
CREATE TABLE desk_sessions (
    id             TEXT PRIMARY KEY,
    login          TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    seen_at_ms     BIGINT NOT NULL
);

CREATE INDEX desk_sessions_login ON desk_sessions (login);
CREATE INDEX desk_sessions_seen ON desk_sessions (seen_at_ms);
