-- 0006 — actions, their comments and SNP qualification (actions.md), the beneficiary's
-- notification centre and preferences (notifications.md).

-- An action of a beneficiary. The creator's name is copied: the guide shows "Créée par
-- {Prénom NOM}" even after the counselor left. The qualification columns are all NULL or
-- all set (q_code NOT NULL = qualified); once set the row is frozen but for comments.
CREATE TABLE action (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	creator_kind text NOT NULL CHECK (creator_kind IN ('counselor', 'beneficiary')),
	creator_id text NOT NULL,
	creator_first_name text NOT NULL,
	creator_last_name text NOT NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1024),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 1024),
	category text CHECK (category IS NULL OR category IN ('EMPLOI', 'PROJET_PROFESSIONNEL',
		'CULTURE_SPORT_LOISIRS', 'CITOYENNETE', 'FORMATION', 'LOGEMENT', 'SANTE')),
	status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'canceled')),
	due_at bigint NOT NULL,              -- the due day at 09:30 in the structure's zone
	completed_at bigint,                 -- set exactly when status = 'done'
	started_on text,                      -- YYYY-MM-DD, SNP only
	reminder bigint NOT NULL DEFAULT 0,
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	q_code text CHECK (q_code IS NULL OR q_code IN ('EMPLOI', 'PROJET_PROFESSIONNEL',
		'CULTURE_SPORT_LOISIRS', 'CITOYENNETE', 'FORMATION', 'LOGEMENT', 'SANTE', 'NON_SNP')),
	q_hours bigint,
	q_comment text,
	q_start text,                         -- YYYY-MM-DD
	q_end text,
	qualified_at bigint,
	qualified_by text,                    -- counselor id, or 'system'
	-- Held while an SNP is being sent to i-milo, so that a second request for the same
	-- action fails instead of sending a second situation (actions.md §5 step 2).
	qualifying_until bigint,
	-- Compatibility (docs/postgres.md): SQLite's implicit rowid, by which Pilotage's page
	-- reads back the rows of its index walk (actions_store_to_qualify).
	rowid bigint GENERATED ALWAYS AS IDENTITY,
	CHECK ((status = 'done') = (completed_at IS NOT NULL)),
	CHECK ((q_code IS NULL) = (qualified_at IS NULL))
);
CREATE UNIQUE INDEX action_rowid ON action(rowid);   -- PostgreSQL only: SQLite's rowid is the table's key
CREATE INDEX action_beneficiary_due ON action(beneficiary_id, due_at);
CREATE INDEX action_beneficiary_created ON action(beneficiary_id, created_at);
-- Pilotage and the 06:00 job look for done-or-late unqualified actions.
CREATE INDEX action_unqualified ON action(beneficiary_id, completed_at) WHERE q_code IS NULL;
CREATE INDEX action_unqualified_due ON action(due_at) WHERE q_code IS NULL;

CREATE TABLE action_comment (
	id text PRIMARY KEY,
	action_id text NOT NULL REFERENCES action(id),
	author_kind text NOT NULL CHECK (author_kind IN ('counselor', 'beneficiary')),
	author_id text NOT NULL,
	author_first_name text NOT NULL,
	author_last_name text NOT NULL,
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1024),
	created_at bigint NOT NULL
);
CREATE INDEX action_comment_action ON action_comment(action_id, created_at);

-- The beneficiary's notification centre (kept 10 days). One row per key and recipient:
-- a job re-run or an echo creates nothing new. push = 1 when the push was due (its
-- preference on at send time, account activated); pushed_at is set by the Web Push
-- delivery when it lands.
CREATE TABLE notification (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	key text NOT NULL,
	type text NOT NULL,
	title text NOT NULL,
	body text NOT NULL,
	url text NOT NULL,
	in_centre bigint NOT NULL DEFAULT 1,
	push bigint NOT NULL DEFAULT 0,
	pushed_at bigint,
	created_at bigint NOT NULL,
	seen_at bigint
);
CREATE UNIQUE INDEX notification_key ON notification(beneficiary_id, key);
CREATE INDEX notification_centre ON notification(beneficiary_id, created_at) WHERE in_centre = 1;
CREATE INDEX notification_created ON notification(created_at);

-- Preferences of notifications.md §6, all on at account creation.
ALTER TABLE beneficiary ADD COLUMN pref_messages bigint NOT NULL DEFAULT 1;
ALTER TABLE beneficiary ADD COLUMN pref_alertes_offres bigint NOT NULL DEFAULT 1;
ALTER TABLE beneficiary ADD COLUMN pref_creation_action_conseiller bigint NOT NULL DEFAULT 1;
ALTER TABLE beneficiary ADD COLUMN pref_rendez_vous_sessions bigint NOT NULL DEFAULT 1;
ALTER TABLE beneficiary ADD COLUMN pref_rappel_actions bigint NOT NULL DEFAULT 1;
ALTER TABLE beneficiary ADD COLUMN pref_share_favorites bigint NOT NULL DEFAULT 1;
