-- Preview dialling without reading whole lists (issue 15): an agent's next entry is the first few open
-- entries of each preview list in the preview's order (deadline, attempts, age, id), read by walking this
-- index; and the entries held for a preview (an agent's own, or all of them for the give-back tick) by the
-- second, instead of every entry of every list on each request.
CREATE INDEX call_list_entries_preview ON call_list_entries (list_id, status, due_by_ms, attempts, created_at_ms, id);
CREATE INDEX call_list_entries_held ON call_list_entries (status, preview_agent);

-- Fax-back to the number on file (issue 16 part 5): a client's fax number, offered by the hotline's documents
-- menu beside keying one in (NULL: none on file). The demo gives 13800000002 the platform's own fax number.
ALTER TABLE clients ADD COLUMN fax TEXT NULL;
