-- 0024 — the events cej creates (agenda.md §2): rendez-vous and animations collectives in
-- one table, their participants, and the history of their changes.

-- A RDV (kind 'rdv') or an AC (kind 'ac'). The creator's name is copied: "Créé(e) par"
-- still reads after the counselor left. structure_id is the creator's Mission Locale: an
-- AC belongs to it, a RDV is read by its counselors (§2.1). ends_at is stored beside the
-- duration so that "still to come" and a period's overlap compare columns, with no
-- arithmetic in SQL.
CREATE TABLE event (
	id text PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('rdv', 'ac')),
	type text NOT NULL CHECK (type IN ('ENTRETIEN_INDIVIDUEL_CONSEILLER',
		'ACTIVITES_EXTERIEURES', 'ENTRETIEN_PARTENAIRE', 'VISITE', 'PRESTATION', 'AUTRE',
		'ATELIER', 'INFORMATION_COLLECTIVE')),
	precision text CHECK (precision IS NULL OR length(precision) BETWEEN 1 AND 250),
	title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 250),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 250),
	modality text CHECK (modality IS NULL OR modality IN ('ML', 'ML_PERMANENCE', 'TELEPHONE',
		'VISIO')),
	starts_at bigint NOT NULL,
	duration_min bigint NOT NULL CHECK (duration_min BETWEEN 1 AND 1439),
	ends_at bigint NOT NULL,
	address text NOT NULL DEFAULT '' CHECK (length(address) <= 250),
	organism text NOT NULL DEFAULT '' CHECK (length(organism) <= 250),
	presence bigint NOT NULL CHECK (presence IN (0, 1)),
	max_participants bigint CHECK (max_participants IS NULL OR max_participants >= 1),
	creator_id text NOT NULL REFERENCES counselor(id),
	creator_first_name text NOT NULL,
	creator_last_name text NOT NULL,
	structure_id text NOT NULL REFERENCES structure(id),
	closed_at bigint,
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	CHECK ((kind = 'ac') = (type IN ('ATELIER', 'INFORMATION_COLLECTIVE'))),
	CHECK ((type = 'AUTRE') = (precision IS NOT NULL)),
	CHECK (kind = 'rdv' OR title IS NOT NULL),
	-- §2: the counselor is always there for an individual interview.
	CHECK (type <> 'ENTRETIEN_INDIVIDUEL_CONSEILLER' OR presence = 1),
	CHECK (kind = 'ac' OR closed_at IS NULL)
);
-- "Mon agenda": the events a counselor created in a 7-day window.
CREATE INDEX event_creator_start ON event(creator_id, starts_at);
-- "Agenda Mission Locale": the AC of a structure in a 7-day window.
CREATE INDEX event_structure_ac_start ON event(structure_id, starts_at) WHERE kind = 'ac';

-- Who takes part: the RDV's beneficiaries, the AC's registrants. present: the attendance
-- marked when an AC is closed (NULL until then).
CREATE TABLE event_participant (
	event_id text NOT NULL REFERENCES event(id),
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	present bigint CHECK (present IS NULL OR present IN (0, 1)),
	added_at bigint NOT NULL,
	PRIMARY KEY (event_id, beneficiary_id)
);
-- The events of a beneficiary (the fiche's tab, a 7-day window, the purge): a
-- beneficiary has few, read through the event's primary key.
CREATE INDEX event_participant_beneficiary ON event_participant(beneficiary_id, event_id);

-- Each change after the creation: {date, auteur}, kept one year (§2.1).
CREATE TABLE event_history (
	event_id text NOT NULL REFERENCES event(id),
	at bigint NOT NULL,
	author_id text NOT NULL,
	author_first_name text NOT NULL,
	author_last_name text NOT NULL,
	-- Compatibility (docs/postgres.md): SQLite's implicit rowid, the order of two changes
	-- of the same millisecond (agenda_store_changes), ending the index as on SQLite.
	rowid bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX event_history_event ON event_history(event_id, at, rowid);
-- The yearly retention reads the oldest rows.
CREATE INDEX event_history_at ON event_history(at);
