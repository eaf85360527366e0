-- 0016 — the counselor's "message important" (messaging.md §10) and the days the unread
-- digest was mailed to each counselor (notifications.md §3.5).

-- At most one message per counselor: the primary key. Its text is sealed like a message's
-- (§14: libsodium secretbox, nonce || ciphertext, with the id of its key). The civil
-- dates are what the counselor typed; starts_at and until_at are the instants they mean
-- in the zone of the counselor's structure when it was saved: shown from start_date at
-- 00:00 until end_date at 23:59:59, i.e. while starts_at <= now < until_at.
CREATE TABLE important_message (
	counselor_id TEXT PRIMARY KEY REFERENCES counselor(id),
	start_date TEXT NOT NULL,             -- YYYY-MM-DD
	end_date TEXT NOT NULL,               -- YYYY-MM-DD, >= start_date
	starts_at INTEGER NOT NULL,
	until_at INTEGER NOT NULL,            -- the midnight after end_date
	content BLOB NOT NULL,
	key_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (end_date >= start_date AND until_at > starts_at)
) STRICT;

-- One row per counselor and Paris day the digest went out: the job's "at most once per
-- counselor per day", whatever the number of runs.
CREATE TABLE unread_digest (
	counselor_id TEXT NOT NULL REFERENCES counselor(id),
	day TEXT NOT NULL,                    -- YYYY-MM-DD, Europe/Paris
	conversations INTEGER NOT NULL,       -- N of the mail
	sent_at INTEGER NOT NULL,
	PRIMARY KEY (counselor_id, day)
) STRICT;
