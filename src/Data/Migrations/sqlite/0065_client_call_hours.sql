-- Issue 15: a client's own calling hours ("HH:mm-HH:mm", local time in Outbound:TimeZone, across midnight when the
-- start is after the end; NULL: none of their own, the platform's calling hours alone apply). A call the platform
-- places to the client (a callback, a list call, click-to-dial) rings only when both allow.
ALTER TABLE clients ADD COLUMN call_hours TEXT NULL;

-- Each node keeps the clients that have hours in memory and reads them again every half minute: the few rows, not the directory.
CREATE INDEX clients_call_hours ON clients (phone) WHERE call_hours IS NOT NULL;
