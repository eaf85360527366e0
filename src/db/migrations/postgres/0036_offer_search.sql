-- 0036 — the offers' full-text and place search (offers.md §8.4, §8.5; docs/offers.md
-- "Recherche"). One design for both engines: an index of stems filled by the store
-- (offers_store_upsert, in the import's transaction) with the terms of the French analyser
-- (offers_text.h), ranked BM25-like by the same SQL on SQLite and PostgreSQL.
--
-- offer_term: per offer and term, the weighted number of occurrences (title 4, appellation
-- and ROME label 3, company 1, description 1). Keyed (term, offer_id): a term's postings are
-- one range of the primary key, and "does offer X hold term T" one lookup. lat/lon: the
-- offer's position (or its commune's centre; NULL when neither is known at index time),
-- commune_insee and dept_code the offer's, copied so that a keyword search around a
-- commune or in a département keeps a term's postings by distance, commune or département
-- as it reads them, without reading an offer per posting. offer_term_offer serves the
-- reindexing of one offer (its terms deleted, then inserted again) and the cascade when an
-- offer is deleted.
CREATE TABLE offer_term (
	term text NOT NULL,
	offer_id text NOT NULL REFERENCES offer(id) ON DELETE CASCADE,
	weight bigint NOT NULL CHECK (weight > 0),
	lat double precision,
	lon double precision,
	commune_insee text,
	dept_code text,
	PRIMARY KEY (term, offer_id)
);
CREATE INDEX offer_term_offer ON offer_term(offer_id);

-- The offer's weighted length (the sum of its terms' weights), BM25's document length;
-- NULL while the offer is not indexed (offers imported before this migration: a new import
-- of the provider's file indexes them).
ALTER TABLE offer ADD COLUMN term_len bigint;

-- BM25's collection statistics, kept by the store as it indexes: how many offers are
-- indexed and the sum of their term_len (the average length). One row at most.
CREATE TABLE offer_search_stat (
	id bigint PRIMARY KEY CHECK (id = 1),
	docs bigint NOT NULL,
	total_len bigint NOT NULL
);
-- No row until the first offer is indexed (the store upserts it): migrations insert no
-- rows, which `cej admin copier-vers-postgres` relies on (its target is migrated, then
-- must be empty).

-- The commune filter: the offers of a type inside the bounding box of the circle
-- (geo_bbox), then the exact distance — id is in the index, so that the box's offers are
-- read from the index alone; and the communes inside that box, for the offers that have
-- no coordinates of their own (their commune's centre stands for them).
CREATE INDEX offer_place ON offer(type, active, lat, lon, id);
CREATE INDEX commune_position ON commune(lat, lon);

-- The other filters' indexes end with type and active (and the date the results are
-- ordered by): without ANALYZE statistics SQLite rates an equality on a 2-column prefix
-- above one on a single column, and would walk every offer of the type through
-- offer_type_active_updated instead of the département's. They replace 0034's.
DROP INDEX offer_dept;
CREATE INDEX offer_dept_type ON offer(dept_code, type, active, provider_updated_at);
-- offer_commune_type also serves the commune search from the index alone (position, id):
-- a commune's own offers, and those without coordinates (lat IS NULL) of the box's communes.
DROP INDEX offer_commune;
CREATE INDEX offer_commune_type ON offer(commune_insee, type, active, lat, lon, id);
DROP INDEX offer_rome;
CREATE INDEX offer_rome_type ON offer(rome_code, type, active, provider_updated_at);
