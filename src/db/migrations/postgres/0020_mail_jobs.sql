-- 0020 — mail is a job kind (src/mail/mail.c, src/jobs/): the job table queues each mail
-- (key 'mail:{id}': lease, backoff, attempts, dead rows with last_error), and mail_outbox
-- keeps what sending needs and the demo mailbox lists. The bodies hold account links:
-- kept only while the mail waits, NULL once it is sent or given up.
-- SQLite rebuilds the table (create, copy, drop, rename); here the ALTER TABLE it stands
-- for, after the jobs are made from the columns that go. Column order ends the same.

-- A waiting mail becomes a job with its failures so far and its next attempt (the lease
-- of a drain that died reads as its end: the mail is sent again then, as before).
INSERT INTO job (id, kind, key, payload, run_at, attempts, created_at, updated_at, last_error)
SELECT id, 'mail', 'mail:' || id, '{"id":' || to_json(id)::text || '}', next_attempt_at, attempts,
       created_at, created_at, last_error
FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL;

-- A mail given up becomes a dead job: the reason stays for support.
INSERT INTO job (id, kind, key, payload, run_at, attempts, created_at, updated_at,
		 failed_at, last_error)
SELECT id, 'mail', 'mail:' || id, '{"id":' || to_json(id)::text || '}', next_attempt_at, attempts,
       created_at, failed_at, failed_at, last_error
FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NOT NULL;

ALTER TABLE mail_outbox
	ALTER COLUMN body_text DROP NOT NULL,
	ALTER COLUMN body_html DROP NOT NULL;
-- Bodies of mails already sent or given up go now (the file transport kept them).
UPDATE mail_outbox SET body_text = NULL, body_html = NULL
WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL;
DROP INDEX mail_outbox_due;
ALTER TABLE mail_outbox
	DROP COLUMN attempts,
	DROP COLUMN next_attempt_at,
	DROP COLUMN last_error,
	ADD CHECK ((body_text IS NULL) = (body_html IS NULL)),
	ADD CHECK ((sent_at IS NULL AND failed_at IS NULL) OR body_text IS NULL);
