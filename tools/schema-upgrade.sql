-- tools/schema-upgrade.sql — an upgraded database must end equal on both engines: run by
-- tools/check-schemas.sh, each section below is written (SQL both engines run) right after
-- the migration it names, on a SQLite file and a PostgreSQL database migrated side by
-- side; at the end every table must hold the same rows. This exercises the migrations'
-- data-moving statements: the first history rows (0003), the grams of existing names
-- (0005), the counters and summaries (0008, 0021, 0022), mail as jobs (0020), the
-- participations' starts and counts (0030), the rebuild of event (0033), the Service
-- civique domains' labels (0040), the rebuild of offer_event (0041).
-- BLOB_00 stands for a one-byte blob, written in each engine's syntax by the check.

-- after 0002
INSERT INTO structure(id, code, name, created_at) VALUES ('s1', '29019S00', 'ML Brest', 1);
INSERT INTO counselor(id, structure_id, email, first_name, last_name, created_at) VALUES
	('c1', 's1', 'c1@ml.fr', 'Anne', 'Conseil', 1), ('c2', 's1', NULL, 'Paul', 'Suivi', 1);
INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, search_folded,
	email, imilo_dossier_id, dispositif, created_at, deleted_at) VALUES
	('b1', 's1', 'c1', 'Zoé', 'Martin', 'martin zoe', 'b1@x.fr', 'd1', 'CEJ', 10, NULL),
	('b2', 's1', 'c1', 'Jean Paul', 'Le Bris', 'le bris jean paul', 'b2@x.fr', 'd2', 'CEJ', 20, NULL),
	('b3', 's1', 'c2', 'Old', 'Gone', 'gone old', 'b3@x.fr', 'd3', 'PACEA', 30, 40);
INSERT INTO mail_outbox(id, recipient, subject, body_text, body_html, created_at, attempts,
	next_attempt_at, sent_at, failed_at, last_error) VALUES
	('o1', 'a@x.fr', 'Attente', 't1', 'h1', 100, 2, 150, NULL, NULL, 'délai'),
	('o2', 'b@x.fr', 'Envoyé', 't2', 'h2', 101, 0, 101, 120, NULL, NULL),
	('o3', 'c@x.fr', 'Abandon', 't3', 'h3', 102, 5, 190, NULL, 200, 'refusé');
INSERT INTO job(id, kind, key, payload, run_at, created_at, updated_at) VALUES
	('j1', 'imilo_sync', 'sync:d1', '{"dossier":"d1"}', 500, 1, 1);

-- after 0007
INSERT INTO action(id, beneficiary_id, creator_kind, creator_id, creator_first_name,
	creator_last_name, title, status, due_at, completed_at, created_at, updated_at, q_code,
	qualified_at) VALUES
	('a1', 'b1', 'counselor', 'c1', 'Anne', 'Conseil', 'CV', 'not_started', 100, NULL, 10, 10, NULL, NULL),
	('a2', 'b1', 'counselor', 'c1', 'Anne', 'Conseil', 'LM', 'done', 200, 190, 11, 11, NULL, NULL),
	('a3', 'b1', 'beneficiary', 'b1', 'Zoé', 'Martin', 'Stage', 'done', 300, 290, 12, 12, 'EMPLOI', 295),
	('a4', 'b2', 'counselor', 'c1', 'Anne', 'Conseil', 'Sport', 'in_progress', 400, NULL, 13, 13, NULL, NULL);
INSERT INTO conversation(id, beneficiary_id, created_at, counselor_last_read_at) VALUES
	('v1', 'b1', 1, 1050), ('v2', 'b2', 1, 0);
INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, kind, content,
	key_id, created_at, deleted_at) VALUES
	('m1', 'v1', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 1000, NULL),
	('m2', 'v1', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 1100, NULL),
	('m3', 'v1', 'counselor', 'c1', 'MESSAGE', BLOB_00, 'k', 1200, NULL),
	('m4', 'v2', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 900, 950);

-- after 0024
INSERT INTO event(id, kind, type, title, starts_at, duration_min, ends_at, presence,
	max_participants, creator_id, creator_first_name, creator_last_name, structure_id,
	created_at, updated_at) VALUES
	('e1', 'ac', 'ATELIER', 'Atelier CV', 5000, 60, 8600, 1, 10, 'c1', 'Anne', 'Conseil', 's1', 1, 1),
	('e2', 'rdv', 'VISITE', NULL, 7000, 30, 8800, 0, NULL, 'c2', 'Paul', 'Suivi', 's1', 1, 1);
INSERT INTO event_participant(event_id, beneficiary_id, added_at) VALUES
	('e1', 'b1', 1), ('e1', 'b2', 2), ('e2', 'b2', 3);
INSERT INTO event_history(event_id, at, author_id, author_first_name, author_last_name) VALUES
	('e1', 10, 'c1', 'Anne', 'Conseil');

-- after 0027
UPDATE event SET invitation = 1, ics_sequence = 2 WHERE id = 'e1';

-- after 0037
INSERT INTO offer_event(id, beneficiary_id, code, offer_id, at) VALUES
	('oe1', 'b1', 'OFFRE_CONSULTEE', '123ABCD', 1000),
	('oe2', 'b1', 'RECHERCHE_SAUVEGARDEE', NULL, 1100);

-- after 0039
INSERT INTO offer(id, provider, provider_id, type, title, domain, first_seen_at, last_seen_at,
	raw) VALUES
	('sc1', 'engagement', 'sc1', 'SERVICE_CIVIQUE', 'Mission', 'solidarite-insertion', 1, 1, '{}'),
	('sc2', 'engagement', 'sc2', 'SERVICE_CIVIQUE', 'Mission', 'memoire-et-citoyennete', 1, 1, '{}'),
	('sc3', 'engagement', 'sc3', 'SERVICE_CIVIQUE', 'Mission', 'Santé', 1, 1, '{}'),
	('ft1', 'france-travail', 'ft1', 'EMPLOI', 'Vendeur', 'commerce', 1, 1, '{}');
