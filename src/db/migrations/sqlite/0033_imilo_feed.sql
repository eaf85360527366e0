-- 0033 — the i-milo event feed (imilo.md §4) and the i-milo rendez-vous (agenda.md §2.3).
--
-- 1. event accepts the rendez-vous i-milo owns: type RENDEZ_VOUS_MILO, no cej creator
--    (creator_id NULL, "Créé(e) par : Système d'information MILO"), i-milo's RDV id in
--    imilo_id (one local copy per i-milo RDV). SQLite cannot change a CHECK: the table is
--    rebuilt and the indexes and triggers of 0024, 0026, 0030 and 0031 that name it are
--    recreated. The migration runs with foreign keys on, inside its transaction:
--    event_participant and event_history reference event, so dropping event counts their
--    rows as deferred violations, and inserting the rows back into the new event uncounts
--    them; commit checks the count is zero. Hence a copy, not the usual rename of a new
--    table (a rename would leave the count up).
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE event_copy AS SELECT * FROM event;

-- The triggers of event_participant name event: they go with it and come back below.
DROP TRIGGER event_participant_start_insert;
DROP TRIGGER event_participant_count_insert;
DROP TRIGGER event_participant_count_delete;
DROP TABLE event;

CREATE TABLE event (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('rdv', 'ac')),
	type TEXT NOT NULL CHECK (type IN ('ENTRETIEN_INDIVIDUEL_CONSEILLER',
		'ACTIVITES_EXTERIEURES', 'ENTRETIEN_PARTENAIRE', 'VISITE', 'PRESTATION', 'AUTRE',
		'ATELIER', 'INFORMATION_COLLECTIVE', 'RENDEZ_VOUS_MILO')),
	precision TEXT CHECK (precision IS NULL OR length(precision) BETWEEN 1 AND 250),
	title TEXT CHECK (title IS NULL OR length(title) BETWEEN 1 AND 250),
	description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 250),
	modality TEXT CHECK (modality IS NULL OR modality IN ('ML', 'ML_PERMANENCE', 'TELEPHONE',
		'VISIO')),
	starts_at INTEGER NOT NULL,
	duration_min INTEGER NOT NULL CHECK (duration_min BETWEEN 1 AND 1439),
	ends_at INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 250),
	organism TEXT NOT NULL DEFAULT '' CHECK (length(organism) <= 250),
	presence INTEGER NOT NULL CHECK (presence IN (0, 1)),
	max_participants INTEGER CHECK (max_participants IS NULL OR max_participants >= 1),
	creator_id TEXT REFERENCES counselor(id),
	creator_first_name TEXT NOT NULL,
	creator_last_name TEXT NOT NULL,
	structure_id TEXT NOT NULL REFERENCES structure(id),
	closed_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	invitation INTEGER NOT NULL DEFAULT 0 CHECK (invitation IN (0, 1)),
	ics_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0),
	participant_count INTEGER NOT NULL DEFAULT 0,
	imilo_id TEXT,
	CHECK ((kind = 'ac') = (type IN ('ATELIER', 'INFORMATION_COLLECTIVE'))),
	CHECK ((type = 'AUTRE') = (precision IS NOT NULL)),
	CHECK (kind = 'rdv' OR title IS NOT NULL),
	-- §2: the counselor is always there for an individual interview.
	CHECK (type <> 'ENTRETIEN_INDIVIDUEL_CONSEILLER' OR presence = 1),
	CHECK (kind = 'ac' OR closed_at IS NULL),
	-- Only an i-milo RDV has no cej creator, and it always has its i-milo id.
	CHECK ((type = 'RENDEZ_VOUS_MILO') = (imilo_id IS NOT NULL)),
	CHECK (creator_id IS NOT NULL OR type = 'RENDEZ_VOUS_MILO'),
	CHECK (type <> 'RENDEZ_VOUS_MILO' OR invitation = 0)
) STRICT;

INSERT INTO event(id, kind, type, precision, title, description, modality, starts_at,
	duration_min, ends_at, address, organism, presence, max_participants, creator_id,
	creator_first_name, creator_last_name, structure_id, closed_at, created_at, updated_at,
	invitation, ics_sequence, participant_count)
SELECT id, kind, type, precision, title, description, modality, starts_at, duration_min,
	ends_at, address, organism, presence, max_participants, creator_id, creator_first_name,
	creator_last_name, structure_id, closed_at, created_at, updated_at, invitation,
	ics_sequence, participant_count
FROM temp.event_copy;
DROP TABLE temp.event_copy;

CREATE INDEX event_creator_start ON event(creator_id, starts_at);
CREATE INDEX event_ac_open ON event(structure_id, starts_at) WHERE kind = 'ac' AND closed_at IS NULL;
CREATE INDEX event_ac_week ON event(structure_id, starts_at, id, type, precision, title,
	modality, duration_min, creator_id, closed_at, max_participants, participant_count, kind)
	WHERE kind = 'ac';
CREATE UNIQUE INDEX event_imilo ON event(imilo_id) WHERE imilo_id IS NOT NULL;
-- The nightly purge of i-milo RDV 3 months after their date.
CREATE INDEX event_imilo_start ON event(starts_at) WHERE imilo_id IS NOT NULL;

CREATE TRIGGER event_start_update AFTER UPDATE OF starts_at ON event
BEGIN
	UPDATE event_participant SET starts_at = NEW.starts_at WHERE event_id = NEW.id;
END;
CREATE TRIGGER event_participant_start_insert AFTER INSERT ON event_participant
BEGIN
	UPDATE event_participant SET starts_at = (SELECT starts_at FROM event WHERE id = NEW.event_id)
	WHERE event_id = NEW.event_id AND beneficiary_id = NEW.beneficiary_id;
END;
CREATE TRIGGER event_participant_count_insert AFTER INSERT ON event_participant
BEGIN
	UPDATE event SET participant_count = participant_count + 1 WHERE id = NEW.event_id;
END;
CREATE TRIGGER event_participant_count_delete AFTER DELETE ON event_participant
BEGIN
	UPDATE event SET participant_count = participant_count - 1 WHERE id = OLD.event_id;
END;

-- 2. The events received from E1 (imilo.md §4), one row per identifiant, written in the
--    transaction that plans its job imilo-event:{identifiant}, before the event is acked.
--    An event i-milo delivers again (its ack was lost) finds its row and is neither
--    planned nor processed a second time. state: 'pending' until its job ends, then
--    'done' or 'dead' (the job's dead-letter row stays in the queue for support).
--    The nightly job forgets the finished ones after 30 days; a beneficiary's purge takes
--    those of their account (beneficiary_id: the live account of the dossier when the
--    event came, NULL when none) and of their dossier.
CREATE TABLE imilo_feed_event (
	id TEXT PRIMARY KEY,                  -- identifiant
	dossier_id TEXT NOT NULL,
	beneficiary_id TEXT,
	type TEXT NOT NULL,
	action TEXT NOT NULL,
	type_id TEXT,
	event_date TEXT NOT NULL,             -- as i-milo sent it
	state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
	received_at INTEGER NOT NULL,
	finished_at INTEGER
) STRICT;
CREATE INDEX imilo_feed_event_finished ON imilo_feed_event(finished_at) WHERE state <> 'pending';
CREATE INDEX imilo_feed_event_dossier ON imilo_feed_event(dossier_id);
CREATE INDEX imilo_feed_event_beneficiary ON imilo_feed_event(beneficiary_id)
	WHERE beneficiary_id IS NOT NULL;
