-- 0041 — offer_event also records EVENEMENT_PARTAGE: an event of Mes Événements Emploi
-- the young person shared with the counselor (offers.md §9), which the fiche counts in
-- "Les événements — Cette semaine" (beneficiaries.md §7); offer_id holds the event's id
-- (job_event.id). SQLite cannot change a CHECK: the table is rebuilt. No table references
-- offer_event, so the new table is filled and renamed.
CREATE TABLE offer_event_v2 (
	id TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	code TEXT NOT NULL CHECK (code IN ('OFFRE_CONSULTEE', 'FAVORI_AJOUTE', 'OFFRE_PARTAGEE', 'RECHERCHE_SAUVEGARDEE', 'EVENEMENT_PARTAGE')),
	offer_id TEXT,
	at INTEGER NOT NULL
) STRICT;
INSERT INTO offer_event_v2 (id, beneficiary_id, code, offer_id, at)
SELECT id, beneficiary_id, code, offer_id, at FROM offer_event;
DROP TABLE offer_event;
ALTER TABLE offer_event_v2 RENAME TO offer_event;
CREATE INDEX offer_event_beneficiary ON offer_event(beneficiary_id, at);
CREATE INDEX offer_event_at ON offer_event(at);
