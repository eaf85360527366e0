-- 0042 — a keyword search around a commune reads only the postings near the place, not
-- every posting of its rarest term in the country (offers_search_store.c,
-- commune_candidates): those of the latitude band of the circle's bounding box, then
-- longitude and distance tested on the index's row (offer_term_place); and those of the
-- commune and its arrondissements, which match whatever their distance
-- (offer_term_commune). Both hold the offer's id, position and the weight BM25 needs: the
-- candidates are read from the index alone (offer_id is written out so that PostgreSQL's
-- index holds it too; SQLite's already ends with the primary key).
CREATE INDEX offer_term_place ON offer_term(term, lat, lon, offer_id, weight);
CREATE INDEX offer_term_commune ON offer_term(term, commune_insee, lat, lon, offer_id, weight);
