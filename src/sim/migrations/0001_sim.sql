-- 0001 — the i-milo simulator's own database (never cej's): seed data of spec/imilo.md §6,
-- fault rules and the request journal. Names follow i-milo's vocabulary so that the JSON
-- the simulator serves maps column to field.

-- Key/value facts about the current seed (seeded_on, seed).
CREATE TABLE sim_meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE structure (
	code TEXT PRIMARY KEY,                -- e.g. 29019S00
	nom_officiel TEXT NOT NULL,
	nom_usuel TEXT NOT NULL,
	timezone TEXT NOT NULL                -- IANA zone: naive datetimes are local to it
) STRICT;

CREATE TABLE agency (
	structure_code TEXT NOT NULL REFERENCES structure(code),
	name TEXT NOT NULL,
	PRIMARY KEY (structure_code, name)
) STRICT;

-- Desk counselors: only stored for now; the OIDC provider (§5) will read them.
CREATE TABLE counselor (
	sub TEXT PRIMARY KEY,                 -- stable UUID, the OIDC subject
	login TEXT NOT NULL UNIQUE,           -- prenom.nom, the preferred_username
	password_hash TEXT NOT NULL,          -- argon2id (libsodium crypto_pwhash_str)
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	email TEXT,                           -- NULL: none in "Contacts personnels"
	supervisor INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE counselor_structure (
	sub TEXT NOT NULL REFERENCES counselor(sub),
	structure_code TEXT NOT NULL REFERENCES structure(code),
	principale INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (sub, structure_code)
) STRICT;

CREATE TABLE dossier (
	id INTEGER PRIMARY KEY,               -- idDossier
	id_jeune TEXT NOT NULL,
	numero_de TEXT,
	adresse_numero TEXT,
	adresse_voie TEXT,
	adresse_complement TEXT,
	code_postal TEXT NOT NULL,
	commune TEXT NOT NULL,
	nom_naissance TEXT NOT NULL,
	nom_usage TEXT,
	prenom TEXT NOT NULL,
	date_naissance TEXT NOT NULL,         -- YYYY-MM-DD
	mail TEXT,                            -- NULL: no e-mail in i-milo (100038)
	structure_code TEXT NOT NULL REFERENCES structure(code),
	cej INTEGER NOT NULL,                 -- 1 CEJ, 0 PACEA
	date_debut TEXT,
	date_fin_prevue TEXT,
	date_fin_reelle TEXT,
	premier_accompagnement TEXT,
	justified INTEGER NOT NULL DEFAULT 1, -- 0: D1 answers 403 "pas justifié" (100040)
	other_ml INTEGER NOT NULL DEFAULT 0,  -- 1: D2 answers SUE_ACCOUNT_EXISTING_OTHER_ML (100039)
	account_id TEXT,                      -- id-keycloak once D2 attached an account
	attached_at INTEGER                   -- Unix ms
) STRICT;

CREATE TABLE situation (
	dossier_id INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,            -- order i-milo lists them in (not the product's)
	etat TEXT NOT NULL,                   -- EN_COURS | PREVU | TERMINE
	categorie TEXT NOT NULL,
	date_fin TEXT,
	rome_prepare TEXT,
	rome_premier TEXT,
	rome_exerce TEXT,
	PRIMARY KEY (dossier_id, position)
) STRICT;

CREATE TABLE fault (
	id TEXT PRIMARY KEY,                  -- UUIDv7: faults are tried oldest first
	method TEXT,                          -- NULL: any method
	path_glob TEXT NOT NULL,              -- '*' and '?' as in GLib's GPatternSpec
	latency_ms INTEGER NOT NULL DEFAULT 0,
	status INTEGER,                       -- NULL: answer normally (after the latency)
	body TEXT,                            -- raw body sent with status
	body_is_json INTEGER NOT NULL DEFAULT 0,
	timeout INTEGER NOT NULL DEFAULT 0,   -- 1: hold the request up to the cap, then 504
	probability_ppm INTEGER NOT NULL DEFAULT 1000000, -- chance of applying, per million
	remaining INTEGER,                    -- NULL: unlimited
	hits INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
) STRICT;

-- The last 1,000 API calls (admin calls are not journaled).
CREATE TABLE request_log (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	at INTEGER NOT NULL,                  -- Unix ms
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	query TEXT,
	headers TEXT NOT NULL,                -- JSON object, secrets masked
	body TEXT,
	status INTEGER NOT NULL,
	fault_id TEXT
) STRICT;
