-- RFC 3327: a phone registered through a proxy (Kamailio in front of several nodes) is reached
-- through that proxy. The REGISTER's Path values, comma-separated as received, nearest proxy first;
-- NULL for a phone that registered directly.
ALTER TABLE sip_bindings ADD COLUMN path TEXT NULL;
