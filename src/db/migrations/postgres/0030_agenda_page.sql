-- 0030 — the /agenda page's reads (agenda.md §3), measured by bench/agenda.sh.
--
-- "Mon agenda" lists the events of a counselor's beneficiaries that
-- start in a 7-day window. Through event_participant_beneficiary that walked each
-- beneficiary's whole history and read every event to test its start: 1,248 rows read for
-- 20 shown, 3.4 ms per page, with 20 events per counselor a week (bench/agenda.sh). Each
-- participation now carries its event's start, kept by the triggers below whoever writes
-- (the form, the seed, the AC registrations), and the window is one index range per
-- beneficiary.
ALTER TABLE event_participant ADD COLUMN starts_at bigint;
UPDATE event_participant SET starts_at =
	(SELECT starts_at FROM event WHERE event.id = event_participant.event_id);
CREATE INDEX event_participant_start ON event_participant(beneficiary_id, starts_at);

-- SQLite updates the participation after its insert; here it is completed before it is
-- written (same result: the event's start, whatever the insert gave).
CREATE FUNCTION event_participant_start_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.starts_at := (SELECT starts_at FROM event WHERE id = NEW.event_id);
	RETURN NEW;
END $$;
CREATE TRIGGER event_participant_start_insert BEFORE INSERT ON event_participant
	FOR EACH ROW EXECUTE FUNCTION event_participant_start_insert();

CREATE FUNCTION event_start_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event_participant SET starts_at = NEW.starts_at WHERE event_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER event_start_update AFTER UPDATE OF starts_at ON event
	FOR EACH ROW EXECUTE FUNCTION event_start_update();

-- Both tabs show how many take part in each event ("Bénéficiaires multiples", "N inscrits"):
-- a count kept by triggers, instead of one index search per row (the Mission Locale tab
-- lists a hundred AC a week in bench/agenda.sh). A leaving beneficiary's rows are deleted
-- in the transaction that ends the account (agenda_purge_beneficiary): every row counts.
ALTER TABLE event ADD COLUMN participant_count bigint NOT NULL DEFAULT 0;
UPDATE event SET participant_count =
	(SELECT count(*) FROM event_participant p WHERE p.event_id = event.id);

CREATE FUNCTION event_participant_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event SET participant_count = participant_count + 1 WHERE id = NEW.event_id;
	RETURN NULL;
END $$;
CREATE TRIGGER event_participant_count_insert AFTER INSERT ON event_participant
	FOR EACH ROW EXECUTE FUNCTION event_participant_count_insert();

CREATE FUNCTION event_participant_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event SET participant_count = participant_count - 1 WHERE id = OLD.event_id;
	RETURN NULL;
END $$;
CREATE TRIGGER event_participant_count_delete AFTER DELETE ON event_participant
	FOR EACH ROW EXECUTE FUNCTION event_participant_count_delete();
