-- A scheduled callback an agent or supervisor booked for an agent: offered to that agent first when it
-- is due, to its queue after Callbacks:OwnerGraceSeconds. NULL: the queue's, as before.
ALTER TABLE callbacks ADD COLUMN owner_agent TEXT NULL;
