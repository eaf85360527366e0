-- 0034 — the local offer catalogue (offers.md §8) and the events of Mes Événements Emploi
-- (§9), fed by the provider adapters (src/offers/, docs/offers.md).
--
-- offer: one row per provider record (Immersion: per establishment and appellation), the
-- model of §8.1. id is the public id (the provider's id; Immersion "{siret}-{appellation}"),
-- the key of (provider, provider_id) an upsert finds. Lists (skills, soft_skills,
-- education, languages, licences) are JSON arrays of {"label", "required"}; raw is the
-- provider's record as received. Booleans are 0/1, instants integer milliseconds (UTC).
-- address: the street address (Immersion, Service civique), beside place_label (the city
-- or France Travail's "29 - Brest") that cards and snapshots show.
CREATE TABLE offer (
	id TEXT PRIMARY KEY,
	provider TEXT NOT NULL,
	provider_id TEXT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('EMPLOI', 'ALTERNANCE', 'SERVICE_CIVIQUE', 'IMMERSION')),
	title TEXT NOT NULL,
	description TEXT,
	company TEXT,
	company_description TEXT,
	company_url TEXT,
	adapted_company INTEGER NOT NULL DEFAULT 0 CHECK (adapted_company IN (0, 1)),
	disability_friendly INTEGER NOT NULL DEFAULT 0 CHECK (disability_friendly IN (0, 1)),
	rome_code TEXT,
	rome_label TEXT,
	appellation_label TEXT,
	contract_code TEXT,
	contract_label TEXT,
	nature_code TEXT,
	work_time TEXT CHECK (work_time IS NULL OR work_time IN ('FULL', 'PARTIAL')),
	work_time_label TEXT,
	experience_code TEXT CHECK (experience_code IS NULL OR experience_code IN ('D', 'S', 'E')),
	experience_label TEXT,
	salary_label TEXT,
	skills TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skills)),
	soft_skills TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(soft_skills)),
	education TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(education)),
	languages TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(languages)),
	licences TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(licences)),
	commune_insee TEXT,
	postal_code TEXT,
	place_label TEXT,
	address TEXT,
	dept_code TEXT,
	lat REAL,
	lon REAL,
	domain TEXT,
	start_date INTEGER,
	end_date INTEGER,
	siret TEXT,
	naf_label TEXT,
	contact_mode TEXT CHECK (contact_mode IS NULL OR contact_mode IN ('EMAIL', 'PHONE', 'IN_PERSON')),
	voluntary INTEGER NOT NULL DEFAULT 0 CHECK (voluntary IN (0, 1)),
	apply_url TEXT,
	origin_name TEXT,
	origin_logo TEXT,
	provider_created_at INTEGER,
	provider_updated_at INTEGER,
	first_seen_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	raw TEXT NOT NULL CHECK (json_valid(raw)),
	UNIQUE (provider, provider_id)
) STRICT;
-- The searches (§1, §8.4, §8.5) and the alerts (§6: what entered since the last run).
CREATE INDEX offer_type_active_updated ON offer(type, active, provider_updated_at);
CREATE INDEX offer_dept ON offer(dept_code);
CREATE INDEX offer_commune ON offer(commune_insee);
CREATE INDEX offer_rome ON offer(rome_code);
CREATE INDEX offer_first_seen ON offer(first_seen_at);

-- job_event: the events of Mes Événements Emploi (§8.2, §9), one row per provider record.
-- event_date, start_time, end_time as the provider gives them (local to timezone);
-- starts_at/ends_at the instants they make (ms, UTC), for the date filter and the order.
-- modalities and rome_codes are JSON arrays of strings.
CREATE TABLE job_event (
	id TEXT PRIMARY KEY,
	provider TEXT NOT NULL,
	provider_id TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT,
	event_date TEXT NOT NULL,
	start_time TEXT,
	end_time TEXT,
	timezone TEXT NOT NULL,
	starts_at INTEGER NOT NULL,
	ends_at INTEGER,
	city TEXT,
	postal_code TEXT,
	commune_insee TEXT,
	lat REAL,
	lon REAL,
	type TEXT,
	modalities TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(modalities)),
	seats_onsite INTEGER,
	seats_remote INTEGER,
	registered_onsite INTEGER,
	registered_remote INTEGER,
	url TEXT,
	organiser TEXT,
	rome_codes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(rome_codes)),
	first_seen_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	raw TEXT NOT NULL CHECK (json_valid(raw)),
	UNIQUE (provider, provider_id)
) STRICT;
CREATE INDEX job_event_start ON job_event(starts_at);
CREATE INDEX job_event_commune ON job_event(commune_insee);
