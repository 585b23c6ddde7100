-- The call list entry a call is the attempt of, found by the call: the recording retention job skips the reached
-- calls of list entries (the proof of a compliance call is kept), and the entry is looked up from a call's end.
CREATE INDEX call_list_entries_last_call ON call_list_entries (last_call_id);

-- A caller's new-account entries, found by the number for every answered call: a client who denied their account
-- manager on such a call is no longer routed to that manager (the caller look-up reads it).
CREATE INDEX call_list_entries_number ON call_list_entries (number);
