-- 0012 — attachments of counselor messages (messaging.md §7). Name and content are sealed
-- like message texts (messaging/crypto.h), with the id of their key. Who may download is
-- derived from the messages that reference the file (their conversations' beneficiaries
-- and those beneficiaries' current referents) plus the uploader.
CREATE TABLE attachment (
	id TEXT PRIMARY KEY,
	counselor_id TEXT NOT NULL REFERENCES counselor(id),
	key_id TEXT NOT NULL,
	name BLOB NOT NULL,                   -- sealed file name
	content BLOB,                         -- sealed bytes; NULL once expired or deleted
	mime TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
	size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 5242880),
	scan_status TEXT NOT NULL DEFAULT 'clean'
		CHECK (scan_status IN ('pending', 'clean', 'infected', 'error', 'expired')),
	created_at INTEGER NOT NULL,
	deleted_at INTEGER
) STRICT;
CREATE INDEX attachment_retention ON attachment(created_at) WHERE content IS NOT NULL;
CREATE INDEX message_attachment ON message(attachment_id) WHERE attachment_id IS NOT NULL;
