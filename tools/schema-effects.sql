-- tools/schema-effects.sql — what the triggers of both schemas do, run by
-- tools/check-schemas.sh on a freshly migrated SQLite file and PostgreSQL database: the
-- same writes (SQL both engines run), then every column the triggers keep, printed in a
-- fixed order. The two outputs must be equal: the name-search grams (0005), open and
-- counted actions (0008, 0021), the action's counselor (0021), the messaging alerts
-- (0021), the portfolio sizes (0022), the participations' starts and counts (0030).
-- BLOB_00 stands for a one-byte blob, written in each engine's syntax by the check.

INSERT INTO structure(id, code, name, created_at) VALUES
	('s1', '29019S00', 'ML Brest', 1), ('s2', '75001S00', 'ML Paris', 1);
INSERT INTO counselor(id, structure_id, email, first_name, last_name, created_at) VALUES
	('c1', 's1', 'c1@ml.fr', 'Anne', 'Conseil', 1), ('c2', 's1', 'c2@ml.fr', 'Paul', 'Suivi', 1),
	('c3', 's2', NULL, 'Léa', 'Autre', 1);
INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, search_folded,
	email, imilo_dossier_id, dispositif, created_at) VALUES
	('b1', 's1', 'c1', 'Zoé', 'Martin-Durand', 'martin-durand zoe', 'b1@x.fr', 'd1', 'CEJ', 1),
	('b2', 's1', 'c1', 'Jean Paul', 'Le Bris', 'le bris jean paul', 'b2@x.fr', 'd2', 'CEJ', 2),
	('b3', 's1', 'c2', 'Ali', 'Ba', 'ba ali', 'b3@x.fr', 'd3', 'PACEA', 3);
-- A beneficiary created deleted counts nowhere and has no grams.
INSERT INTO beneficiary(id, structure_id, counselor_id, first_name, last_name, search_folded,
	email, imilo_dossier_id, dispositif, created_at, deleted_at) VALUES
	('b4', 's1', 'c2', 'Old', 'Gone', 'gone old', 'b4@x.fr', 'd4', 'CEJ', 4, 5);

-- Grams follow a rename, a move to another structure and a deletion.
UPDATE beneficiary SET search_folded = 'ba alice', first_name = 'Alice' WHERE id = 'b3';
UPDATE beneficiary SET structure_id = 's2' WHERE id = 'b2';
UPDATE beneficiary SET structure_id = 's1' WHERE id = 'b2';

-- Actions: open, done (to qualify), cancelled; status changes; a qualification; a delete.
INSERT INTO action(id, beneficiary_id, creator_kind, creator_id, creator_first_name,
	creator_last_name, title, status, due_at, completed_at, created_at, updated_at) VALUES
	('a1', 'b1', 'counselor', 'c1', 'Anne', 'Conseil', 'CV', 'not_started', 100, NULL, 10, 10),
	('a2', 'b1', 'counselor', 'c1', 'Anne', 'Conseil', 'LM', 'in_progress', 200, NULL, 11, 11),
	('a3', 'b1', 'beneficiary', 'b1', 'Zoé', 'Martin', 'Stage', 'done', 300, 290, 12, 12),
	('a4', 'b1', 'beneficiary', 'b1', 'Zoé', 'Martin', 'Sport', 'canceled', 400, NULL, 13, 13),
	('a5', 'b2', 'counselor', 'c1', 'Anne', 'Conseil', 'Permis', 'not_started', 500, NULL, 14, 14);
UPDATE action SET status = 'done', completed_at = 150, updated_at = 20 WHERE id = 'a1';
UPDATE action SET status = 'canceled', updated_at = 21 WHERE id = 'a2';
UPDATE action SET q_code = 'EMPLOI', qualified_at = 30, qualified_by = 'c1' WHERE id = 'a3';
UPDATE action SET status = 'not_started', updated_at = 22 WHERE id = 'a4';
DELETE FROM action WHERE id = 'a5';
INSERT INTO action(id, beneficiary_id, creator_kind, creator_id, creator_first_name,
	creator_last_name, title, status, due_at, created_at, updated_at) VALUES
	('a6', 'b2', 'counselor', 'c1', 'Anne', 'Conseil', 'Santé', 'in_progress', 600, 15, 15);
-- A transfer moves the portfolio sizes and the actions' counselor.
UPDATE beneficiary SET counselor_id = 'c2' WHERE id = 'b2';

-- Messaging alerts: incoming messages, a read, a deletion, a move, a purge.
INSERT INTO conversation(id, beneficiary_id, created_at) VALUES
	('v1', 'b1', 1), ('v3', 'b3', 1);
INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, kind, content,
	key_id, created_at) VALUES
	('m1', 'v1', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 1000),
	('m2', 'v1', 'counselor', 'c1', 'MESSAGE', BLOB_00, 'k', 1100),
	('m3', 'v1', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 1200),
	('m4', 'v3', 'system', NULL, 'AUTO_REGISTRATION', BLOB_00, 'k', 1300),
	('m5', 'v3', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 900);
UPDATE conversation SET counselor_last_read_at = 1250 WHERE id = 'v1';
UPDATE message SET deleted_at = 1400 WHERE id = 'm4';
INSERT INTO message(id, conversation_id, sender_type, sender_counselor_id, kind, content,
	key_id, created_at) VALUES ('m6', 'v1', 'beneficiary', NULL, 'MESSAGE', BLOB_00, 'k', 1500);
UPDATE message SET conversation_id = 'v3' WHERE id = 'm6';
DELETE FROM message WHERE id = 'm3';

-- Participations: their start follows the event's; counts follow inserts and deletes.
INSERT INTO event(id, kind, type, title, starts_at, duration_min, ends_at, presence,
	max_participants, creator_id, creator_first_name, creator_last_name, structure_id,
	created_at, updated_at) VALUES
	('e1', 'ac', 'ATELIER', 'Atelier CV', 5000, 60, 8600, 1, 10, 'c1', 'Anne', 'Conseil', 's1', 1, 1),
	('e2', 'rdv', 'ENTRETIEN_INDIVIDUEL_CONSEILLER', NULL, 7000, 30, 8800, 1, NULL, 'c1', 'Anne',
	 'Conseil', 's1', 1, 1);
INSERT INTO event_participant(event_id, beneficiary_id, added_at, starts_at) VALUES
	('e1', 'b1', 1, NULL), ('e1', 'b3', 1, 42), ('e2', 'b1', 1, NULL);
UPDATE event SET starts_at = 6000, ends_at = 9600 WHERE id = 'e1';
DELETE FROM event_participant WHERE event_id = 'e1' AND beneficiary_id = 'b3';

-- The end of an account: its conversation goes, then it is marked deleted.
DELETE FROM message WHERE conversation_id = 'v3';
DELETE FROM conversation WHERE id = 'v3';
UPDATE beneficiary SET deleted_at = 2000 WHERE id = 'b3';

SELECT 'counselor', id, portfolio_size FROM counselor ORDER BY id;
SELECT 'beneficiary', id, open_actions, action_count, to_qualify, msg_last_incoming_at,
	msg_unread FROM beneficiary ORDER BY id;
SELECT 'gram', structure_id, gram, search_folded, beneficiary_id FROM beneficiary_gram
	ORDER BY beneficiary_id, gram, structure_id;
SELECT 'action', id, counselor_id, status FROM action ORDER BY id;
SELECT 'event', id, participant_count FROM event ORDER BY id;
SELECT 'participant', event_id, beneficiary_id, starts_at FROM event_participant
	ORDER BY event_id, beneficiary_id;
