-- 0033 — the i-milo event feed (imilo.md §4) and the i-milo rendez-vous (agenda.md §2.3).
--
-- 1. event accepts the rendez-vous i-milo owns: type RENDEZ_VOUS_MILO, no cej creator
--    (creator_id NULL, "Créé(e) par : Système d'information MILO"), i-milo's RDV id in
--    imilo_id (one local copy per i-milo RDV). SQLite cannot change a CHECK and rebuilds
--    the table; here the ALTER TABLE it stands for: the same columns, checks, indexes and
--    triggers result (event_type_check is the name PostgreSQL gave 0024's column CHECK).
ALTER TABLE event
	DROP CONSTRAINT event_type_check,
	ADD CONSTRAINT event_type_check CHECK (type IN ('ENTRETIEN_INDIVIDUEL_CONSEILLER',
		'ACTIVITES_EXTERIEURES', 'ENTRETIEN_PARTENAIRE', 'VISITE', 'PRESTATION', 'AUTRE',
		'ATELIER', 'INFORMATION_COLLECTIVE', 'RENDEZ_VOUS_MILO')),
	ALTER COLUMN creator_id DROP NOT NULL,
	ADD COLUMN imilo_id text,
	-- Only an i-milo RDV has no cej creator, and it always has its i-milo id.
	ADD CHECK ((type = 'RENDEZ_VOUS_MILO') = (imilo_id IS NOT NULL)),
	ADD CHECK (creator_id IS NOT NULL OR type = 'RENDEZ_VOUS_MILO'),
	ADD CHECK (type <> 'RENDEZ_VOUS_MILO' OR invitation = 0);

CREATE UNIQUE INDEX event_imilo ON event(imilo_id) WHERE imilo_id IS NOT NULL;
-- The nightly purge of i-milo RDV 3 months after their date.
CREATE INDEX event_imilo_start ON event(starts_at) WHERE imilo_id IS NOT NULL;

-- 2. The events received from E1 (imilo.md §4), one row per identifiant, written in the
--    transaction that plans its job imilo-event:{identifiant}, before the event is acked.
--    An event i-milo delivers again (its ack was lost) finds its row and is neither
--    planned nor processed a second time. state: 'pending' until its job ends, then
--    'done' or 'dead' (the job's dead-letter row stays in the queue for support).
--    The nightly job forgets the finished ones after 30 days; a beneficiary's purge takes
--    those of their account (beneficiary_id: the live account of the dossier when the
--    event came, NULL when none) and of their dossier.
CREATE TABLE imilo_feed_event (
	id text PRIMARY KEY,                  -- identifiant
	dossier_id text NOT NULL,
	beneficiary_id text,
	type text NOT NULL,
	action text NOT NULL,
	type_id text,
	event_date text NOT NULL,             -- as i-milo sent it
	state text NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
	received_at bigint NOT NULL,
	finished_at bigint
);
CREATE INDEX imilo_feed_event_finished ON imilo_feed_event(finished_at) WHERE state <> 'pending';
CREATE INDEX imilo_feed_event_dossier ON imilo_feed_event(dossier_id);
CREATE INDEX imilo_feed_event_beneficiary ON imilo_feed_event(beneficiary_id)
	WHERE beneficiary_id IS NOT NULL;
