-- 0019 — the sending key of a message (youth-app.md §9, §14): the beneficiary's app sends
-- each message with a key it generated, and sends the same key again when "Réessayer"
-- resends it. A retry after a lost answer then finds the message already stored instead of
-- storing it twice. NULL for messages sent without one (plain forms, counselors, system).
ALTER TABLE message ADD COLUMN client_key text;
-- One message per key in a conversation; also the lookup of a retry.
CREATE UNIQUE INDEX message_client_key ON message(conversation_id, client_key)
	WHERE client_key IS NOT NULL;
