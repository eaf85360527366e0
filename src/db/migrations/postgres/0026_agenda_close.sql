-- 0026 — closing animations collectives (agenda.md §4, §8): the AC still open, by start.
-- The nightly job closes the past ones without registrants and Pilotage counts those of a
-- structure; both read only the open AC, which stay few while closed ones pile up.
CREATE INDEX event_ac_open ON event(structure_id, starts_at) WHERE kind = 'ac' AND closed_at IS NULL;
