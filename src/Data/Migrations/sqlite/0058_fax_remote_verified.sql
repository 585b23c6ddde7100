-- Whether a received fax's sender number was vouched for (a trusted peer, not marked unverified): a
-- number from anyone else is only a claim, shown as unverified (GET /api/faxes: fromVerified, the mail's
-- subject). Rows from before this column, and outbound faxes (the number we dialled), count as verified.
ALTER TABLE faxes ADD COLUMN remote_verified INTEGER NOT NULL DEFAULT 1;
