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
	id text PRIMARY KEY,
	provider text NOT NULL,
	provider_id text NOT NULL,
	type text NOT NULL CHECK (type IN ('EMPLOI', 'ALTERNANCE', 'SERVICE_CIVIQUE', 'IMMERSION')),
	title text NOT NULL,
	description text,
	company text,
	company_description text,
	company_url text,
	adapted_company bigint NOT NULL DEFAULT 0 CHECK (adapted_company IN (0, 1)),
	disability_friendly bigint NOT NULL DEFAULT 0 CHECK (disability_friendly IN (0, 1)),
	rome_code text,
	rome_label text,
	appellation_label text,
	contract_code text,
	contract_label text,
	nature_code text,
	work_time text CHECK (work_time IS NULL OR work_time IN ('FULL', 'PARTIAL')),
	work_time_label text,
	experience_code text CHECK (experience_code IS NULL OR experience_code IN ('D', 'S', 'E')),
	experience_label text,
	salary_label text,
	skills text NOT NULL DEFAULT '[]' CHECK (skills::json IS NOT NULL),
	soft_skills text NOT NULL DEFAULT '[]' CHECK (soft_skills::json IS NOT NULL),
	education text NOT NULL DEFAULT '[]' CHECK (education::json IS NOT NULL),
	languages text NOT NULL DEFAULT '[]' CHECK (languages::json IS NOT NULL),
	licences text NOT NULL DEFAULT '[]' CHECK (licences::json IS NOT NULL),
	commune_insee text,
	postal_code text,
	place_label text,
	address text,
	dept_code text,
	lat double precision,
	lon double precision,
	domain text,
	start_date bigint,
	end_date bigint,
	siret text,
	naf_label text,
	contact_mode text CHECK (contact_mode IS NULL OR contact_mode IN ('EMAIL', 'PHONE', 'IN_PERSON')),
	voluntary bigint NOT NULL DEFAULT 0 CHECK (voluntary IN (0, 1)),
	apply_url text,
	origin_name text,
	origin_logo text,
	provider_created_at bigint,
	provider_updated_at bigint,
	first_seen_at bigint NOT NULL,
	last_seen_at bigint NOT NULL,
	active bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	raw text NOT NULL CHECK (raw::json IS NOT NULL),
	UNIQUE (provider, provider_id)
);
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
	id text PRIMARY KEY,
	provider text NOT NULL,
	provider_id text NOT NULL,
	title text NOT NULL,
	description text,
	event_date text NOT NULL,
	start_time text,
	end_time text,
	timezone text NOT NULL,
	starts_at bigint NOT NULL,
	ends_at bigint,
	city text,
	postal_code text,
	commune_insee text,
	lat double precision,
	lon double precision,
	type text,
	modalities text NOT NULL DEFAULT '[]' CHECK (modalities::json IS NOT NULL),
	seats_onsite bigint,
	seats_remote bigint,
	registered_onsite bigint,
	registered_remote bigint,
	url text,
	organiser text,
	rome_codes text NOT NULL DEFAULT '[]' CHECK (rome_codes::json IS NOT NULL),
	first_seen_at bigint NOT NULL,
	last_seen_at bigint NOT NULL,
	active bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	raw text NOT NULL CHECK (raw::json IS NOT NULL),
	UNIQUE (provider, provider_id)
);
CREATE INDEX job_event_start ON job_event(starts_at);
CREATE INDEX job_event_commune ON job_event(commune_insee);
