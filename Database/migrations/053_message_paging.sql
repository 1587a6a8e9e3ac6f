-- =============================================================================
-- 053_message_paging.sql
-- The messages page reads one page of a folder and one conversation at a
-- time (issue 15), whatever the size of the user's history.
-- =============================================================================

-- Inbox and Sent, newest first, by keyset on (created_at, id): the next page
-- starts in the index right after the last row shown. The inbox index
-- (recipient_id, is_read, created_at) stays for the unread count.
CREATE INDEX messages_recipient_page_idx ON messages (recipient_id, created_at DESC, id DESC);
CREATE INDEX messages_sender_page_idx    ON messages (sender_id, created_at DESC, id DESC);
DROP INDEX messages_sender_sent_idx;

-- One conversation: the messages between two people, in each direction.
CREATE INDEX messages_pair_idx ON messages (sender_id, recipient_id);
