-- 0008 — indexes shaped like the pages that read actions (bench/README.md: the fiche of a
-- beneficiary with 500 actions, Pilotage with 2,000 actions to qualify), and the open
-- actions count of the portfolio kept by triggers instead of counted per row.

-- Pilotage: the done, unqualified actions of a beneficiary by completion date. The former
-- index held every unqualified action (done or not), so each entry cost a row lookup.
DROP INDEX action_unqualified;
CREATE INDEX action_to_qualify ON action(beneficiary_id, completed_at, id)
	WHERE q_code IS NULL AND status = 'done';

-- The fiche's Actions tab, in "Date de l'action" order (completed_at when done, else
-- due_at), ties by id: a page is a walk of ten index entries.
CREATE INDEX action_display ON action(beneficiary_id,
	(CASE WHEN status = 'done' THEN completed_at ELSE due_at END), id);

-- The week counters: done in a week, and late (open actions by due date; an open action
-- is never qualified).
CREATE INDEX action_completed ON action(beneficiary_id, completed_at) WHERE status = 'done';
CREATE INDEX action_open_due ON action(beneficiary_id, due_at)
	WHERE status IN ('not_started', 'in_progress');

-- The portfolio's "Actions" column (beneficiaries.md §3: neither done nor cancelled).
ALTER TABLE beneficiary ADD COLUMN open_actions bigint NOT NULL DEFAULT 0;
UPDATE beneficiary SET open_actions = (SELECT count(*) FROM action a
	WHERE a.beneficiary_id = beneficiary.id AND a.status IN ('not_started', 'in_progress'));

-- SQLite keeps it with three triggers; here one function per event, same conditions.
CREATE FUNCTION action_open_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary SET open_actions = open_actions + 1 WHERE id = NEW.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_open_insert AFTER INSERT ON action
	FOR EACH ROW WHEN (NEW.status IN ('not_started', 'in_progress'))
	EXECUTE FUNCTION action_open_insert();

CREATE FUNCTION action_open_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary SET open_actions = open_actions - 1 WHERE id = OLD.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_open_delete AFTER DELETE ON action
	FOR EACH ROW WHEN (OLD.status IN ('not_started', 'in_progress'))
	EXECUTE FUNCTION action_open_delete();

CREATE FUNCTION action_open_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE beneficiary
	SET open_actions = open_actions + CASE WHEN NEW.status IN ('not_started', 'in_progress')
					       THEN 1 ELSE -1 END
	WHERE id = NEW.beneficiary_id;
	RETURN NULL;
END $$;
CREATE TRIGGER action_open_update AFTER UPDATE OF status ON action
	FOR EACH ROW WHEN ((OLD.status IN ('not_started', 'in_progress'))
			   <> (NEW.status IN ('not_started', 'in_progress')))
	EXECUTE FUNCTION action_open_update();
