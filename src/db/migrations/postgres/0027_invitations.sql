-- 0027 — invitations (.ics) of the events (agenda.md §2.2) and the mails' attachments.

-- invitation: the creator asked, at creation, to get the event in their own calendar; every
-- later change by anyone mails them. ics_sequence: the SEQUENCE of the last invitation
-- mailed (0 at creation), raised by one in the transaction of each later mail.
ALTER TABLE event ADD COLUMN invitation bigint NOT NULL DEFAULT 0 CHECK (invitation IN (0, 1));
ALTER TABLE event ADD COLUMN ics_sequence bigint NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0);

-- The files joined to a waiting mail (src/mail/mail.h), in order. Like the bodies, kept
-- only while the mail waits: deleted once it is sent or given up (the .eml copy of the
-- file transport keeps them for the demo mailbox).
CREATE TABLE mail_attachment (
	mail_id text NOT NULL REFERENCES mail_outbox(id),
	position bigint NOT NULL CHECK (position >= 0),
	filename text NOT NULL,
	content_type text NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (mail_id, position)
);
