-- The call list entry a call is the attempt of, found by the call: the recording retention job skips the reached
-- calls of list entries (the proof of a compliance call is kept), and the entry is looked up from a call's end.
CREATE INDEX call_list_entries_last_call ON call_list_entries (last_call_id);
