-- 0021 — summaries kept by triggers, and covering indexes, so that the counselor's pages
-- read a few index entries instead of counting or sorting rows (issue "Foundations";
-- bench/README.md "Instructions par requête"). Each summary is a plain column that the
-- triggers below keep equal to what the query it replaces would compute; the unit tests
-- (test_messaging.c, test_actions.c) compare them with that query after inserts, edits,
-- deletions and a reassignment.

-- ---- 1. Messaging alerts (the favicon and sound of every counselor page, §4) ----------
-- Before: per conversation of the portfolio, the newest incoming message (≈ 90,000
-- instructions for 50 beneficiaries even without a single message). Now, per beneficiary
-- (so that a reassignment moves it with the beneficiary, like the conversation itself):
-- the instant of the newest incoming message of its conversation (NULL: none), and
-- whether the counselor has not read it (it is after counselor_last_read_at). The alerts
-- are then one max() seek and one count of the unread entries.
ALTER TABLE beneficiary ADD COLUMN msg_last_incoming_at bigint;
ALTER TABLE beneficiary ADD COLUMN msg_unread bigint NOT NULL DEFAULT 0
	CHECK (msg_unread IN (0, 1));
-- deleted_at is a column of both indexes (always NULL there) so that they cover the
-- query: SQLite 3.40 reads the row to test a term of the partial index's WHERE otherwise.
CREATE INDEX beneficiary_last_incoming ON beneficiary(counselor_id, deleted_at, msg_last_incoming_at)
	WHERE deleted_at IS NULL;
CREATE INDEX beneficiary_msg_unread ON beneficiary(counselor_id, deleted_at, msg_unread)
	WHERE deleted_at IS NULL AND msg_unread = 1;

-- The two columns from scratch. Each trigger below recomputes them for one conversation
-- (one seek on the partial index message_unread_by_counselor, whose WHERE the subquery
-- repeats word for word), written out in each on SQLite, which has no procedures; here
-- one function, beneficiary_msg_alerts().
UPDATE beneficiary SET msg_last_incoming_at = (SELECT max(m.created_at)
	FROM conversation c JOIN message m ON m.conversation_id = c.id
	WHERE c.beneficiary_id = beneficiary.id AND m.deleted_at IS NULL
	AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION'));
UPDATE beneficiary SET msg_unread = coalesce((msg_last_incoming_at >
	(SELECT c.counselor_last_read_at FROM conversation c WHERE c.beneficiary_id = beneficiary.id))::int, 0);

CREATE FUNCTION beneficiary_msg_alerts(p_conversation text) RETURNS void LANGUAGE sql AS $$
	UPDATE beneficiary SET (msg_last_incoming_at, msg_unread) = (
		SELECT x.last_in, coalesce((x.last_in > x.read_at)::int, 0) FROM (SELECT
			(SELECT max(m.created_at) FROM message m WHERE m.conversation_id = p_conversation
			 AND m.deleted_at IS NULL
			 AND (m.sender_type = 'beneficiary' OR m.kind = 'AUTO_REGISTRATION')) AS last_in,
			(SELECT counselor_last_read_at FROM conversation WHERE id = p_conversation) AS read_at) x)
	WHERE id = (SELECT beneficiary_id FROM conversation WHERE id = p_conversation)
$$;

CREATE FUNCTION message_alerts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM beneficiary_msg_alerts(NEW.conversation_id);
	RETURN NULL;
END $$;
CREATE TRIGGER message_alerts_insert AFTER INSERT ON message FOR EACH ROW
	WHEN (NEW.deleted_at IS NULL AND (NEW.sender_type = 'beneficiary' OR NEW.kind = 'AUTO_REGISTRATION'))
	EXECUTE FUNCTION message_alerts_insert();

-- A deletion (soft: deleted_at; or an undeletion) or any change of what makes a message
-- incoming. An edit of the text (content, edited_at) does not fire it.
CREATE FUNCTION message_alerts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM beneficiary_msg_alerts(NEW.conversation_id);
	IF OLD.conversation_id <> NEW.conversation_id THEN
		PERFORM beneficiary_msg_alerts(OLD.conversation_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER message_alerts_update
	AFTER UPDATE OF deleted_at, created_at, sender_type, kind, conversation_id ON message
	FOR EACH ROW EXECUTE FUNCTION message_alerts_update();

-- Only the deletion of the newest incoming message changes anything: the purge of a
-- conversation of 10,000 messages does not recompute 10,000 times. (A trigger's WHEN
-- cannot hold a subquery here: that part of SQLite's WHEN is the function's IF.)
CREATE FUNCTION message_alerts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.created_at >= (SELECT b.msg_last_incoming_at FROM conversation c
		JOIN beneficiary b ON b.id = c.beneficiary_id WHERE c.id = OLD.conversation_id) THEN
		PERFORM beneficiary_msg_alerts(OLD.conversation_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER message_alerts_delete AFTER DELETE ON message FOR EACH ROW
	WHEN (OLD.deleted_at IS NULL AND (OLD.sender_type = 'beneficiary' OR OLD.kind = 'AUTO_REGISTRATION'))
	EXECUTE FUNCTION message_alerts_delete();

-- The counselor reads the conversation (or a reassignment resets the mark).
CREATE FUNCTION conversation_alerts_read() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary
	SET msg_unread = coalesce((msg_last_incoming_at > NEW.counselor_last_read_at)::int, 0)
	WHERE id = NEW.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER conversation_alerts_read AFTER UPDATE OF counselor_last_read_at ON conversation
	FOR EACH ROW EXECUTE FUNCTION conversation_alerts_read();

CREATE FUNCTION conversation_alerts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary SET msg_last_incoming_at = NULL, msg_unread = 0
	WHERE id = OLD.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER conversation_alerts_delete AFTER DELETE ON conversation
	FOR EACH ROW EXECUTE FUNCTION conversation_alerts_delete();

-- ---- 2. Action counters of the fiche and of Pilotage -----------------------------------
-- action_count: every action of the beneficiary (the fiche's "total" of the week block and
-- the unfiltered Actions tab counted all 500 of them, twice). to_qualify: done and not
-- qualified (Pilotage counted the portfolio's 2,000 on each page). Kept like open_actions
-- (0008).
ALTER TABLE beneficiary ADD COLUMN action_count bigint NOT NULL DEFAULT 0;
ALTER TABLE beneficiary ADD COLUMN to_qualify bigint NOT NULL DEFAULT 0;
UPDATE beneficiary SET
	action_count = (SELECT count(*) FROM action a WHERE a.beneficiary_id = beneficiary.id),
	to_qualify = (SELECT count(*) FROM action a WHERE a.beneficiary_id = beneficiary.id
		      AND a.status = 'done' AND a.q_code IS NULL);

CREATE FUNCTION action_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary SET action_count = action_count + 1,
		to_qualify = to_qualify + (NEW.status = 'done' AND NEW.q_code IS NULL)::int
	WHERE id = NEW.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_counts_insert AFTER INSERT ON action
	FOR EACH ROW EXECUTE FUNCTION action_counts_insert();

CREATE FUNCTION action_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary SET action_count = action_count - 1,
		to_qualify = to_qualify - (OLD.status = 'done' AND OLD.q_code IS NULL)::int
	WHERE id = OLD.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_counts_delete AFTER DELETE ON action
	FOR EACH ROW EXECUTE FUNCTION action_counts_delete();

CREATE FUNCTION action_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary
	SET to_qualify = to_qualify + CASE WHEN NEW.status = 'done' AND NEW.q_code IS NULL
				      THEN 1 ELSE -1 END
	WHERE id = NEW.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_counts_update AFTER UPDATE OF status, q_code ON action FOR EACH ROW
	WHEN ((OLD.status = 'done' AND OLD.q_code IS NULL) IS DISTINCT FROM
	      (NEW.status = 'done' AND NEW.q_code IS NULL))
	EXECUTE FUNCTION action_counts_update();

-- Pilotage's tile: the sum over the portfolio's CEJ beneficiaries that have some, read on
-- the index alone (deleted_at in it for the reason above).
CREATE INDEX beneficiary_to_qualify ON beneficiary(counselor_id, dispositif, to_qualify, deleted_at)
	WHERE deleted_at IS NULL AND to_qualify > 0;
-- Pilotage's "Archivage des comptes" tile, on every Pilotage page: read 50 rows before.
CREATE INDEX beneficiary_to_archive ON beneficiary(counselor_id, deleted_at, to_archive)
	WHERE deleted_at IS NULL AND to_archive = 1;

-- ---- 3. Pilotage's list in date order ----------------------------------------------------
-- The portfolio's actions to qualify by completion date: with only the beneficiary on the
-- action, the page read and sorted all 2,000 candidates (the index is per beneficiary) to
-- keep ten. action.counselor_id copies the beneficiary's counselor (set on insert, moved
-- by a reassignment), so one index walks them in date order and stops after the page.
ALTER TABLE action ADD COLUMN counselor_id text;
UPDATE action SET counselor_id = (SELECT b.counselor_id FROM beneficiary b
	WHERE b.id = action.beneficiary_id);

-- actions_store_insert gives it; this covers any other insert. SQLite updates the row
-- after its insert; here the row is completed before it is written (same result).
CREATE FUNCTION action_counselor_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.counselor_id := (SELECT b.counselor_id FROM beneficiary b WHERE b.id = NEW.beneficiary_id);
	RETURN NEW;
END $$;
CREATE TRIGGER action_counselor_insert BEFORE INSERT ON action
	FOR EACH ROW WHEN (NEW.counselor_id IS NULL) EXECUTE FUNCTION action_counselor_insert();

CREATE FUNCTION beneficiary_action_counselor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE action SET counselor_id = NEW.counselor_id WHERE beneficiary_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER beneficiary_action_counselor AFTER UPDATE OF counselor_id ON beneficiary
	FOR EACH ROW WHEN (OLD.counselor_id IS DISTINCT FROM NEW.counselor_id)
	EXECUTE FUNCTION beneficiary_action_counselor();

-- Covering (beneficiary_id for the join, status and q_code for the terms): the walk reads
-- no action row, only the beneficiary of each entry (CEJ, not deleted).
CREATE INDEX action_to_qualify_by_counselor
	ON action(counselor_id, completed_at, id, beneficiary_id, status, q_code)
	WHERE q_code IS NULL AND status = 'done';
-- The name order and the category filter still go through the per-beneficiary index;
-- covering too now (status, q_code), it read each candidate's row before.
DROP INDEX action_to_qualify;
CREATE INDEX action_to_qualify ON action(beneficiary_id, completed_at, id, status, q_code)
	WHERE q_code IS NULL AND status = 'done';

-- ---- 4. The fiche's "En retard" counter ---------------------------------------------------
-- Covering with status: it read the row of each late action (≈ 160 of 500) to test it.
DROP INDEX action_open_due;
CREATE INDEX action_open_due ON action(beneficiary_id, due_at, status)
	WHERE status IN ('not_started', 'in_progress');
