-- 0003 — sessions and offers of service (spec/imilo.md §3.3), registrations to them
-- ("instances", §3.4), the rendez-vous of a dossier (E3) and the event feed (§3.5).
-- Datetimes are naive local times of the owning structure (§2), stored as i-milo writes
-- them ("yyyy-MM-dd HH:mm:ss"); the simulator converts with structure.timezone.

CREATE TABLE offre (
	id INTEGER PRIMARY KEY,
	nom TEXT NOT NULL,
	theme TEXT NOT NULL,
	type TEXT NOT NULL,                   -- WORKSHOP | COLLECTIVE_INFORMATION
	description TEXT,
	nom_partenaire TEXT
) STRICT;

CREATE TABLE session (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	structure_code TEXT NOT NULL REFERENCES structure(code),
	offre_id INTEGER NOT NULL REFERENCES offre(id),
	nom TEXT NOT NULL,
	date_heure_debut TEXT NOT NULL,       -- local to the structure
	date_heure_fin TEXT NOT NULL,
	date_max_inscription TEXT,            -- YYYY-MM-DD, NULL: until the start
	animateur TEXT,
	lieu TEXT,
	capacity INTEGER,                     -- NULL: unlimited
	commentaire TEXT
) STRICT;

CREATE INDEX session_structure_debut ON session(structure_code, date_heure_debut);

-- A dossier's registration to a session; ids continue across deletions (AUTOINCREMENT):
-- an id the feed announced deleted never comes back.
CREATE TABLE instance (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
	dossier_id INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
	statut TEXT NOT NULL,                 -- ONGOING | REFUSAL | REFUSAL_YOUNG | ACHIEVED
	commentaire TEXT,                     -- with REFUSAL_YOUNG only
	date_debut_reelle TEXT,               -- with ACHIEVED
	UNIQUE (session_id, dossier_id)
) STRICT;

CREATE TABLE rdv (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	dossier_id INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
	date_heure_debut TEXT NOT NULL,       -- local to the dossier's structure
	date_heure_fin TEXT,
	objet TEXT NOT NULL,
	conseiller TEXT NOT NULL,
	commentaire TEXT,
	lieu TEXT,
	type TEXT NOT NULL,
	statut TEXT NOT NULL                  -- Absent | Annulé | Non précisé | Planifié | Présent | Reporté
) STRICT;

CREATE INDEX rdv_dossier ON rdv(dossier_id);

-- One row per mutation, in order; E1 serves the oldest unacknowledged ones.
CREATE TABLE event (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	identifiant TEXT NOT NULL UNIQUE,     -- UUIDv7
	dossier_id INTEGER NOT NULL,          -- no foreign key: a dossier's history outlives it
	type TEXT NOT NULL,                   -- RDV | SESSION | DOSSIER
	action TEXT NOT NULL,                 -- CREATE | UPDATE | DELETE
	id_type INTEGER,                      -- RDV or instance id; NULL for DOSSIER
	at INTEGER NOT NULL,                  -- Unix ms
	acked_at INTEGER                      -- Unix ms, NULL: not acknowledged
) STRICT;

CREATE INDEX event_unacked ON event(seq) WHERE acked_at IS NULL;
