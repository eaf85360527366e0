-- 0012 — attachments of counselor messages (messaging.md §7). Name and content are sealed
-- like message texts (messaging/crypto.h), with the id of their key. Who may download is
-- derived from the messages that reference the file (their conversations' beneficiaries
-- and those beneficiaries' current referents) plus the uploader.
CREATE TABLE attachment (
	id text PRIMARY KEY,
	counselor_id text NOT NULL REFERENCES counselor(id),
	key_id text NOT NULL,
	name bytea NOT NULL,                   -- sealed file name
	content bytea,                         -- sealed bytes; NULL once expired or deleted
	mime text NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
	size bigint NOT NULL CHECK (size BETWEEN 1 AND 5242880),
	scan_status text NOT NULL DEFAULT 'clean'
		CHECK (scan_status IN ('pending', 'clean', 'infected', 'error', 'expired')),
	created_at bigint NOT NULL,
	deleted_at bigint
);
CREATE INDEX attachment_retention ON attachment(created_at) WHERE content IS NOT NULL;
CREATE INDEX message_attachment ON message(attachment_id) WHERE attachment_id IS NOT NULL;
