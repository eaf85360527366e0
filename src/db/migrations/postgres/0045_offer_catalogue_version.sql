-- The catalogue's version: +1 at every write of an offer (offers_store_upsert) and at a
-- sync's deactivations, so that a node's cache of search pages (offers_cache.h) knows when
-- the pages it keeps are out of date, whichever process or node changed the catalogue.
ALTER TABLE offer_search_stat ADD COLUMN version bigint NOT NULL DEFAULT 0;
