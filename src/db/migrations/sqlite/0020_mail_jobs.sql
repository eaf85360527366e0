-- 0020 — mail is a job kind (src/mail/mail.c, src/jobs/): the job table queues each mail
-- (key 'mail:{id}': lease, backoff, attempts, dead rows with last_error), and mail_outbox
-- keeps what sending needs and the demo mailbox lists. The bodies hold account links:
-- kept only while the mail waits, NULL once it is sent or given up.
CREATE TABLE mail_outbox_v2 (
	id TEXT PRIMARY KEY,                  -- UUIDv7: Message-ID and .eml name too
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body_text TEXT,                       -- NULL once sent or given up
	body_html TEXT,
	created_at INTEGER NOT NULL,          -- gives the Date header
	sent_at INTEGER,
	failed_at INTEGER,                    -- given up (its job is dead)
	CHECK ((body_text IS NULL) = (body_html IS NULL)),
	CHECK ((sent_at IS NULL AND failed_at IS NULL) OR body_text IS NULL)
) STRICT;

-- Bodies of mails already sent or given up go now (the file transport kept them).
INSERT INTO mail_outbox_v2 (id, recipient, subject, body_text, body_html, created_at,
			    sent_at, failed_at)
SELECT id, recipient, subject,
       CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN body_text END,
       CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN body_html END,
       created_at, sent_at, failed_at
FROM mail_outbox;

-- A waiting mail becomes a job with its failures so far and its next attempt (the lease
-- of a drain that died reads as its end: the mail is sent again then, as before).
INSERT INTO job (id, kind, key, payload, run_at, attempts, created_at, updated_at, last_error)
SELECT id, 'mail', 'mail:' || id, json_object('id', id), next_attempt_at, attempts,
       created_at, created_at, last_error
FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL;

-- A mail given up becomes a dead job: the reason stays for support.
INSERT INTO job (id, kind, key, payload, run_at, attempts, created_at, updated_at,
		 failed_at, last_error)
SELECT id, 'mail', 'mail:' || id, json_object('id', id), next_attempt_at, attempts,
       created_at, failed_at, failed_at, last_error
FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NOT NULL;

DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_v2 RENAME TO mail_outbox;
