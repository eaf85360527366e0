-- 0017 — the counselor's own settings (admin-and-misc.md §4, messaging.md §4 and §12).
--
-- "Notifications sonores": a sound when a beneficiary's message arrives, off by default.
-- The welcome modal of the mobile space ("Bienvenue sur l’espace mobile du conseiller")
-- shows on the counselor's pages, on narrow screens only, until it is dismissed: NULL
-- until then, so it greets every counselor once, whatever the device or session.
ALTER TABLE counselor ADD COLUMN sound_notifications bigint NOT NULL DEFAULT 0
	CHECK (sound_notifications IN (0, 1));
ALTER TABLE counselor ADD COLUMN mobile_welcome_seen_at bigint;
