-- 0007 — messaging (messaging.md §1, §4, §5, §14): the conversation's summary columns, the
-- messages and their edit history. Texts are stored encrypted (libsodium secretbox: a
-- bytea nonce || ciphertext) with the id of the key that sealed them, so keys rotate and
-- old rows stay readable; the keys live in a file outside the database.
--
-- The conversation's counselor is the beneficiary's referent (beneficiary.counselor_id):
-- it is not copied here, so a reassignment moves the conversation by itself (§11).

ALTER TABLE conversation ADD COLUMN last_message_id text;
ALTER TABLE conversation ADD COLUMN last_message_at bigint;
ALTER TABLE conversation ADD COLUMN last_message_preview bytea;     -- encrypted, ~100 characters
ALTER TABLE conversation ADD COLUMN last_message_key_id text;
ALTER TABLE conversation ADD COLUMN last_sender text
	CHECK (last_sender IS NULL OR last_sender IN ('counselor', 'beneficiary', 'system'));
-- Read receipts (§4): a message is read by the other party when its *_last_read_at is at
-- or after the message's created_at. 0 = never read.
ALTER TABLE conversation ADD COLUMN counselor_last_read_at bigint NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN beneficiary_last_read_at bigint NOT NULL DEFAULT 0;
-- "Conversation suivie", the counselor's pin; reset on reassignment (§11).
ALTER TABLE conversation ADD COLUMN followed bigint NOT NULL DEFAULT 0 CHECK (followed IN (0, 1));

CREATE TABLE message (
	id text PRIMARY KEY,                  -- UUIDv7
	conversation_id text NOT NULL REFERENCES conversation(id),
	sender_type text NOT NULL CHECK (sender_type IN ('counselor', 'beneficiary', 'system')),
	sender_counselor_id text,             -- the author when sender_type = 'counselor'
	kind text NOT NULL CHECK (kind IN ('MESSAGE', 'MESSAGE_PJ', 'OFFER_SHARE', 'EVENT_SHARE',
		'SESSION_SHARE', 'JOB_EVENT_SHARE', 'AUTO_REGISTRATION', 'NEW_COUNSELOR',
		'NEW_COUNSELOR_TEMPORARY', 'ACTION_COMMENT')),
	content bytea NOT NULL,                -- nonce || ciphertext of the text
	key_id text NOT NULL,
	created_at bigint NOT NULL,
	edited_at bigint,
	deleted_at bigint,                   -- the content is kept (§5)
	attachment_id text,                   -- MESSAGE_PJ only
	payload text CHECK (payload IS NULL OR payload::json IS NOT NULL),  -- typed card reference
	broadcast_id text,                    -- multi-recipient or list send (§8)
	CHECK ((sender_type = 'counselor') = (sender_counselor_id IS NOT NULL))
);
-- Keyset pagination of a conversation (§3), newest first from a (created_at, id) cursor.
CREATE INDEX message_page ON message(conversation_id, created_at, id);
-- Unread counts (§4): the counselor's (beneficiary-side and AUTO_REGISTRATION messages)
-- and the beneficiary's (everything else). The store's conditions repeat these exactly.
CREATE INDEX message_unread_by_counselor ON message(conversation_id, created_at)
	WHERE deleted_at IS NULL AND (sender_type = 'beneficiary' OR kind = 'AUTO_REGISTRATION');
CREATE INDEX message_unread_by_beneficiary ON message(conversation_id, created_at)
	WHERE deleted_at IS NULL AND sender_type <> 'beneficiary' AND kind <> 'AUTO_REGISTRATION';
CREATE INDEX message_broadcast ON message(broadcast_id) WHERE broadcast_id IS NOT NULL;

-- Edit history (§5): the content before each edit, encrypted, never shown in the UI.
CREATE TABLE message_edit (
	id text PRIMARY KEY,
	message_id text NOT NULL REFERENCES message(id),
	edited_at bigint NOT NULL,
	previous_content bytea NOT NULL,
	key_id text NOT NULL
);
CREATE INDEX message_edit_message ON message_edit(message_id, edited_at);

-- The counselor's column starts from the portfolio (index beneficiary_portfolio) and joins
-- the conversation by its UNIQUE beneficiary_id: no further index is needed.
