-- 0035 — the geographic referential (offers.md §8.5, docs/geo.md): départements and
-- communes with their centre (WGS 84 degrees), postal codes and population, imported
-- from data/geo/ or the geo.api.gouv.fr JSON shape by `cej offers communes import`.
-- Reference data, not personal: no purge, no foreign key to anything else.
--
-- The search keys (folded, folded_bare) are geo_key() of the name (geo/geo.h). A prefix
-- search is a range `folded >= $1 AND folded < $2` (geo_prefix_end): byte order, which
-- the database's C.UTF-8 collation gives (docs/postgres.md); the keys are ASCII.
CREATE TABLE departement (
	code text PRIMARY KEY,
	name text NOT NULL,
	folded text NOT NULL,
	lat double precision,
	lon double precision
);
CREATE INDEX departement_folded ON departement(folded);

CREATE TABLE commune (
	insee text PRIMARY KEY,
	name text NOT NULL,
	folded text NOT NULL,
	folded_bare text NOT NULL,
	type text NOT NULL CHECK (type IN ('COM', 'COMD', 'ARM')),
	parent_insee text CHECK ((type = 'ARM') = (parent_insee IS NOT NULL)),
	dept_code text NOT NULL,
	postal_code text NOT NULL,
	lat double precision,
	lon double precision,
	population bigint NOT NULL DEFAULT 0 CHECK (population >= 0)
);
CREATE INDEX commune_folded ON commune(folded);
CREATE INDEX commune_folded_bare ON commune(folded_bare);
CREATE INDEX commune_parent ON commune(parent_insee) WHERE parent_insee IS NOT NULL;

CREATE TABLE commune_postal (
	postal_code text NOT NULL,
	insee text NOT NULL REFERENCES commune(insee) ON DELETE CASCADE,
	PRIMARY KEY (postal_code, insee)
);
CREATE INDEX commune_postal_insee ON commune_postal(insee);
