-- 0041 — offer_event also records EVENEMENT_PARTAGE: an event of Mes Événements Emploi
-- the young person shared with the counselor (offers.md §9), which the fiche counts in
-- "Les événements — Cette semaine" (beneficiaries.md §7); offer_id holds the event's id
-- (job_event.id). SQLite rebuilds the table; here the ALTER TABLE it stands for
-- (offer_event_code_check is the name PostgreSQL gave 0037's column CHECK).
ALTER TABLE offer_event
	DROP CONSTRAINT offer_event_code_check,
	ADD CONSTRAINT offer_event_code_check CHECK (code IN ('OFFRE_CONSULTEE', 'FAVORI_AJOUTE',
		'OFFRE_PARTAGEE', 'RECHERCHE_SAUVEGARDEE', 'EVENEMENT_PARTAGE'));
