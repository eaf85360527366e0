-- 0040 — Service civique's domain stored as one label per domain (offers.md §1, docs/offers.md
-- "Domaine et date de début"): the search filters on offer.domain = the label, and the
-- adapter and the demo now write the label (offer_domain_of). Rows written before kept
-- what the provider sent, API Engagement's code ("solidarite-insertion") for most: they
-- get its label; any other value the label "Autre", as the adapter maps it now.
UPDATE offer SET domain = CASE domain
	WHEN 'environnement' THEN 'Environnement'
	WHEN 'solidarite-insertion' THEN 'Solidarité - insertion'
	WHEN 'prevention-protection' THEN 'Prévention - protection'
	WHEN 'sante' THEN 'Santé'
	WHEN 'culture-loisirs' THEN 'Culture - loisirs'
	WHEN 'education' THEN 'Éducation'
	WHEN 'emploi' THEN 'Emploi'
	WHEN 'sport' THEN 'Sport'
	WHEN 'humanitaire' THEN 'Humanitaire'
	WHEN 'animaux' THEN 'Animaux'
	WHEN 'vivre-ensemble' THEN 'Vivre-ensemble'
	ELSE 'Autre' END
WHERE type = 'SERVICE_CIVIQUE' AND domain IS NOT NULL AND domain NOT IN ('Environnement',
	'Solidarité - insertion', 'Prévention - protection', 'Santé', 'Culture - loisirs',
	'Éducation', 'Emploi', 'Sport', 'Humanitaire', 'Animaux', 'Vivre-ensemble', 'Autre');
