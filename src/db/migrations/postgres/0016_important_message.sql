-- 0016 — the counselor's "message important" (messaging.md §10) and the days the unread
-- digest was mailed to each counselor (notifications.md §3.5).

-- At most one message per counselor: the primary key. Its text is sealed like a message's
-- (§14: libsodium secretbox, nonce || ciphertext, with the id of its key). The civil
-- dates are what the counselor typed; starts_at and until_at are the instants they mean
-- in the zone of the counselor's structure when it was saved: shown from start_date at
-- 00:00 until end_date at 23:59:59, i.e. while starts_at <= now < until_at.
CREATE TABLE important_message (
	counselor_id text PRIMARY KEY REFERENCES counselor(id),
	start_date text NOT NULL,             -- YYYY-MM-DD
	end_date text NOT NULL,               -- YYYY-MM-DD, >= start_date
	starts_at bigint NOT NULL,
	until_at bigint NOT NULL,            -- the midnight after end_date
	content bytea NOT NULL,
	key_id text NOT NULL,
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	CHECK (end_date >= start_date AND until_at > starts_at)
);

-- One row per counselor and Paris day the digest went out: the job's "at most once per
-- counselor per day", whatever the number of runs.
CREATE TABLE unread_digest (
	counselor_id text NOT NULL REFERENCES counselor(id),
	day text NOT NULL,                    -- YYYY-MM-DD, Europe/Paris
	conversations bigint NOT NULL,       -- N of the mail
	sent_at bigint NOT NULL,
	PRIMARY KEY (counselor_id, day)
);
