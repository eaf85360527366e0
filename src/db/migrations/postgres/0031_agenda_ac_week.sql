-- 0031 — the "Agenda Mission Locale" tab (agenda.md §3) reads the AC of a structure in a
-- 7-day window: a hundred rows a week in bench/agenda.sh. Through event_structure_ac_start
-- each row cost a search in the table and the rows a sort on (starts_at, id); this index
-- holds, in that order, every column the tab reads, so the page is one range of the index
-- (kind too: without it SQLite reads the row to test the query's "kind = 'ac'").
CREATE INDEX event_ac_week ON event(structure_id, starts_at, id, type, precision, title,
	modality, duration_min, creator_id, closed_at, max_participants, participant_count, kind)
	WHERE kind = 'ac';
DROP INDEX event_structure_ac_start;
