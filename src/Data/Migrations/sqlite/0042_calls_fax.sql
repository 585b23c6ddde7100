-- A fax call's T.30 result on its call record (JSON: fax id, direction, succeeded, pages, bit rate,
-- ECM, spandsp's completion code and text), however the call ended. NULL for every other call.
ALTER TABLE calls ADD COLUMN fax TEXT NULL;
