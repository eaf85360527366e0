-- 0046 — how an Immersion "Contacter l'entreprise" request left (docs/offers.md): MAIL
-- through the outbox (no Immersion Facilitée credentials: the stand-in address), or by
-- the provider's API through a job: EN_ATTENTE until it answers, then TRANSMISE or ECHEC
-- (the provider refused it, or every attempt failed; the reason in delivery_error, for
-- support), delivered_at the instant of that outcome. Rows before this were all mailed.
ALTER TABLE offer_immersion_contact ADD COLUMN delivery TEXT NOT NULL DEFAULT 'MAIL'
	CHECK (delivery IN ('MAIL', 'EN_ATTENTE', 'TRANSMISE', 'ECHEC'));
ALTER TABLE offer_immersion_contact ADD COLUMN delivered_at INTEGER;
ALTER TABLE offer_immersion_contact ADD COLUMN delivery_error TEXT;
