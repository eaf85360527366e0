-- 0035 — the geographic referential (offers.md §8.5, docs/geo.md): départements and
-- communes with their centre (WGS 84 degrees), postal codes and population, imported
-- from data/geo/ or the geo.api.gouv.fr JSON shape by `cej offers communes import`.
-- Reference data, not personal: no purge, no foreign key to anything else.
--
-- The search keys (folded, folded_bare) are geo_key() of the name (geo/geo.h): lower
-- case, no accents, every run of other characters one space. A prefix search is a range
-- `folded >= $1 AND folded < $2` (geo_prefix_end), which the indexes serve on both
-- engines (byte order: BINARY here, the C collation on PostgreSQL, docs/postgres.md).
CREATE TABLE departement (
	code TEXT PRIMARY KEY,          -- "29", "2A", "974"
	name TEXT NOT NULL,             -- "Finistère"
	folded TEXT NOT NULL,           -- geo_key_bare(name): "finistere", "reunion"
	lat REAL,                       -- the centre (IGN); NULL when the import gave none
	lon REAL
) STRICT;
CREATE INDEX departement_folded ON departement(folded);

CREATE TABLE commune (
	insee TEXT PRIMARY KEY,         -- INSEE code: "29019", "2A004", "97411", "75115"
	name TEXT NOT NULL,             -- display name, with its article: "Le Relecq-Kerhuon"
	folded TEXT NOT NULL,           -- geo_key(name): "le relecq kerhuon"
	folded_bare TEXT NOT NULL,      -- without the article: "relecq kerhuon"
	type TEXT NOT NULL CHECK (type IN ('COM', 'COMD', 'ARM')),
	-- A municipal arrondissement's commune (Paris, Lyon, Marseille): its offers also
	-- match the parent's.
	parent_insee TEXT CHECK ((type = 'ARM') = (parent_insee IS NOT NULL)),
	dept_code TEXT NOT NULL,
	postal_code TEXT NOT NULL,      -- the one shown ("Brest (29200)"): the smallest
	lat REAL,                       -- the centre; NULL for the few the data lack
	lon REAL,
	population INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0)
) STRICT;
CREATE INDEX commune_folded ON commune(folded);
CREATE INDEX commune_folded_bare ON commune(folded_bare);
CREATE INDEX commune_parent ON commune(parent_insee) WHERE parent_insee IS NOT NULL;

-- Every postal code of a commune (Toulouse has six, a code may serve several communes):
-- the prefix search on codes runs on the primary key.
CREATE TABLE commune_postal (
	postal_code TEXT NOT NULL,
	insee TEXT NOT NULL REFERENCES commune(insee) ON DELETE CASCADE,
	PRIMARY KEY (postal_code, insee)
) STRICT;
CREATE INDEX commune_postal_insee ON commune_postal(insee);
